#!/usr/bin/env python3
"""python-ldap (libldap underneath) against Annuaire: simple bind, Who am I,
and a paged search (SimplePagedResultsControl) looped until the cookie is empty.

search_ext_s() drops the response controls, so each page is sent with
search_ext() and read with result3(), which returns them.

Environment: LDAP_URL, BIND_DN, BIND_PASSWORD, BASE_DN_PEOPLE,
optionally PAGE_SIZE (default 3) and SEARCH_FILTER (default (objectClass=inetOrgPerson)).
Prints one JSON object with what was observed; exits 0 unless this program broke.
"""
import json
import os
import sys

import ldap
from ldap.controls import SimplePagedResultsControl

MAX_PAGES = 100


def error_report(error):
    info = error.args[0] if error.args and isinstance(error.args[0], dict) else {}
    return {"result": info.get("result"), "description": info.get("desc"),
            "info": info.get("info"), "exception": type(error).__name__}


def main():
    url = os.environ["LDAP_URL"]
    people = os.environ["BASE_DN_PEOPLE"]
    bind_dn = os.environ["BIND_DN"]
    password = os.environ["BIND_PASSWORD"]
    page_size = int(os.environ.get("PAGE_SIZE", "3"))
    search_filter = os.environ.get("SEARCH_FILTER", "(objectClass=inetOrgPerson)")
    report = {"page_size": page_size, "version": ldap.__version__}

    conn = ldap.initialize(url)
    conn.protocol_version = 3
    conn.set_option(ldap.OPT_REFERRALS, 0)
    conn.set_option(ldap.OPT_NETWORK_TIMEOUT, 10)
    conn.set_option(ldap.OPT_TIMEOUT, 30)

    try:
        conn.simple_bind_s(bind_dn, password)
        report["bind"] = {"result": 0}
    except ldap.LDAPError as error:
        report["bind"] = error_report(error)
    try:
        report["who_am_i"] = conn.whoami_s()
    except ldap.LDAPError as error:
        report["who_am_i_error"] = error_report(error)

    paged = {"page_entries": [], "uids": [], "pages_with_response_control": 0}
    control = SimplePagedResultsControl(True, size=page_size, cookie="")
    cookie = b""
    try:
        while True:
            msgid = conn.search_ext(people, ldap.SCOPE_SUBTREE, search_filter, ["uid"], serverctrls=[control])
            _, data, _, response_controls = conn.result3(msgid)
            entries = [(dn, attrs) for dn, attrs in data if dn is not None]
            paged["page_entries"].append(len(entries))
            for _, attrs in entries:
                paged["uids"].extend(v.decode() for v in attrs.get("uid", []))
            response = [c for c in response_controls or [] if c.controlType == SimplePagedResultsControl.controlType]
            if not response:
                cookie = b""
                break
            paged["pages_with_response_control"] += 1
            cookie = response[0].cookie
            if not cookie or len(paged["page_entries"]) >= MAX_PAGES:
                break
            control.cookie = cookie
        paged["result"] = 0
    except ldap.LDAPError as error:
        paged.update(error_report(error))
    paged["pages"] = len(paged["page_entries"])
    paged["entries"] = sum(paged["page_entries"])
    paged["uids"] = sorted(paged["uids"])
    paged["ended_with_empty_cookie"] = not cookie
    report["paged"] = paged

    conn.unbind_s()
    print(json.dumps(report, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
