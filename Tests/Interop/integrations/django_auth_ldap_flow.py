#!/usr/bin/env python3
"""django-auth-ldap (a real Django authentication backend, over python-ldap)
against Annuaire: Django's own authenticate() with the settings of
docs/integrations/django-auth-ldap.md, on an in-memory database.

Environment: LDAP_URL, APP_DN, APP_PASSWORD (the application account),
USERS_BASE, GROUPS_BASE, REQUIRED_GROUP, PASSWORD (the users' password),
HABILITATED (an identifier in REQUIRED_GROUP), OUTSIDER (an open user who is
not habilitated), CLOSED (a closed user).
Prints one JSON object; exits 0 unless this program broke.
"""
import json
import logging
import os
import sys

import django
from django.conf import settings

env = os.environ

# django-auth-ldap reads its settings from Django's; LDAPSearch needs python-ldap's constants.
import ldap  # noqa: E402
from django_auth_ldap.config import LDAPSearch, MemberDNGroupType  # noqa: E402

settings.configure(
    INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    AUTHENTICATION_BACKENDS=["django_auth_ldap.backend.LDAPBackend"],
    USE_TZ=True,
    AUTH_LDAP_SERVER_URI=env["LDAP_URL"],
    AUTH_LDAP_BIND_DN=env["APP_DN"],
    AUTH_LDAP_BIND_PASSWORD=env["APP_PASSWORD"],
    AUTH_LDAP_USER_SEARCH=LDAPSearch(env["USERS_BASE"], ldap.SCOPE_SUBTREE, "(uid=%(user)s)"),
    AUTH_LDAP_USER_ATTR_MAP={"first_name": "givenName", "last_name": "sn", "email": "mail"},
    AUTH_LDAP_GROUP_SEARCH=LDAPSearch(env["GROUPS_BASE"], ldap.SCOPE_SUBTREE, "(objectClass=annGroup)"),
    AUTH_LDAP_GROUP_TYPE=MemberDNGroupType(member_attr="member", name_attr="cn"),
    AUTH_LDAP_REQUIRE_GROUP=env["REQUIRED_GROUP"],
    AUTH_LDAP_MIRROR_GROUPS=True,
    AUTH_LDAP_ALWAYS_UPDATE_USER=True,
    AUTH_LDAP_CACHE_TIMEOUT=0,
    AUTH_LDAP_CONNECTION_OPTIONS={ldap.OPT_NETWORK_TIMEOUT: 10},
    LOGGING_CONFIG=None,
)
django.setup()

from django.contrib.auth import authenticate  # noqa: E402
from django.core.management import call_command  # noqa: E402

# django-auth-ldap says why it refuses on its logger: keep the reasons for the report.
reasons = []


class Collect(logging.Handler):
    def emit(self, record):
        reasons.append(record.getMessage())


log = logging.getLogger("django_auth_ldap")
log.addHandler(Collect())
log.setLevel(logging.DEBUG)


def attempt(username, password):
    del reasons[:]
    user = authenticate(username=username, password=password)
    if user is None:
        return {"authenticated": False, "reasons": list(reasons)}
    return {
        "authenticated": True,
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "ldap_dn": getattr(getattr(user, "ldap_user", None), "dn", None),
    }


def main():
    call_command("migrate", verbosity=0, interactive=False)
    password = env["PASSWORD"]
    report = {
        "habilitated": attempt(env["HABILITATED"], password),
        "wrong_password": attempt(env["HABILITATED"], password + "-wrong"),
        "outsider": attempt(env["OUTSIDER"], password),
        "closed": attempt(env["CLOSED"], password),
    }
    from django.contrib.auth.models import Group, User
    report["mirrored_groups"] = sorted(Group.objects.values_list("name", flat=True))
    report["django_users"] = sorted(User.objects.values_list("username", flat=True))
    print(json.dumps(report, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
