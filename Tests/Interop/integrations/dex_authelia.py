#!/usr/bin/env python3
"""What Dex's and Authelia's LDAP connectors do, with python ldap3, against
Annuaire: bind as the application account, search the user (exactly one
entry expected), bind as the DN found with the user's password, search the
groups with (member=<DN>); then, after an administrator closes the user (R7),
the same user search finds nothing (Dex re-runs it on token refresh) and the
bind is refused.

Environment: LDAP_URL, APP_DN, APP_PASSWORD (the application account),
USERS_BASE, GROUPS_BASE, USERNAME, USER_PASSWORD, OUTSIDER (an identifier not
habilitated for the application's service), ADMIN_DN, ADMIN_PASSWORD (closes
the user).
Prints one JSON object; exits 0 unless this program broke.
"""
import datetime
import json
import os
import sys

from ldap3 import BASE, MODIFY_REPLACE, SUBTREE, Connection, Server
from ldap3.utils.conv import escape_filter_chars

# Authelia's default users_filter with its {username_attribute} = uid and
# Dex's userSearch (baseDN, filter, username: uid) render the same search.
USER_FILTER = "(&(uid={input})(objectClass=inetOrgPerson))"
# Authelia's groups_filter / Dex's groupSearch with userMatchers user DN -> member.
GROUP_FILTER = "(&(member={dn})(objectClass=annGroup))"


def connect(url, dn, password):
    conn = Connection(Server(url, connect_timeout=10), user=dn, password=password,
                      raise_exceptions=False, receive_timeout=30)
    ok = bool(conn.bind())
    return conn, ok, (conn.result or {}).get("result")


def find_user(conn, base, username):
    conn.search(base, USER_FILTER.format(input=escape_filter_chars(username)), search_scope=SUBTREE,
                attributes=["uid", "mail", "cn", "memberOf"])
    entries = [e for e in (conn.response or []) if e.get("type") == "searchResEntry"]
    return {
        "result": (conn.result or {}).get("result"),
        "count": len(entries),
        "dns": [e["dn"] for e in entries],
        "mail": [str(v) for e in entries for v in e["attributes"].get("mail", [])],
        "member_of": [str(v) for e in entries for v in e["attributes"].get("memberOf", [])],
    }


def main():
    env = os.environ
    url = env["LDAP_URL"]
    report = {}

    app, ok, code = connect(url, env["APP_DN"], env["APP_PASSWORD"])
    report["app_bound"] = ok
    report["app_bind_result"] = code

    # 1. The user search, as the application.
    user = find_user(app, env["USERS_BASE"], env["USERNAME"])
    report["user_search"] = user
    report["outsider_search"] = find_user(app, env["USERS_BASE"], env["OUTSIDER"])

    # 2. Bind as the DN found (the connector's password check).
    if user["count"] == 1:
        dn = user["dns"][0]
        conn, ok, code = connect(url, dn, env["USER_PASSWORD"])
        report["user_bind"] = {"bound": ok, "result": code}
        conn.unbind()
        conn, ok, code = connect(url, dn, env["USER_PASSWORD"] + "-wrong")
        report["wrong_password_bind"] = {"bound": ok, "result": code}
        # 3. The groups, searched by member DN.
        app.search(env["GROUPS_BASE"], GROUP_FILTER.format(dn=escape_filter_chars(dn)), search_scope=SUBTREE,
                   attributes=["cn", "annLabel"])
        groups = [e for e in (app.response or []) if e.get("type") == "searchResEntry"]
        report["groups"] = {
            "result": (app.result or {}).get("result"),
            "dns": [g["dn"] for g in groups],
            "names": sorted(str(v) for g in groups for v in g["attributes"].get("cn", [])),
        }

        # 4. An administrator closes the user today (R7).
        admin, ok, _ = connect(url, env["ADMIN_DN"], env["ADMIN_PASSWORD"])
        today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d000000Z")
        admin.modify(dn, {"annCloseDate": [(MODIFY_REPLACE, [today])]})
        report["close_result"] = (admin.result or {}).get("result")
        report["close_message"] = (admin.result or {}).get("message")
        admin.search(dn, "(objectClass=*)", search_scope=BASE, attributes=["annStatus"])
        statuses = []
        for e in admin.response or []:
            if e.get("type") == "searchResEntry":
                value = e["attributes"].get("annStatus", [])  # single-valued in the schema: ldap3 gives a str
                statuses.extend([value] if isinstance(value, str) else [str(v) for v in value])
        report["status_after_close"] = statuses
        admin.unbind()

        # 5. The refresh: the same search, the same bind.
        report["user_search_after_close"] = find_user(app, env["USERS_BASE"], env["USERNAME"])
        conn, ok, code = connect(url, dn, env["USER_PASSWORD"])
        report["user_bind_after_close"] = {"bound": ok, "result": code}
        app.search(env["GROUPS_BASE"], GROUP_FILTER.format(dn=escape_filter_chars(dn)), search_scope=SUBTREE, attributes=["cn"])
        report["groups_after_close"] = len([e for e in (app.response or []) if e.get("type") == "searchResEntry"])
    app.unbind()
    print(json.dumps(report, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
