#!/usr/bin/env python3
"""ldap3 paged search (RFC 2696) against Annuaire, twice: with ldap3's own
paged_search generator and by hand with paged_cookie.

Environment: LDAP_URL, BIND_DN, BIND_PASSWORD, BASE_DN_PEOPLE,
optionally PAGE_SIZE (default 2) and SEARCH_FILTER (default (objectClass=inetOrgPerson)).
Prints one JSON object with what was observed; exits 0 unless this program broke.
"""
import json
import os
import sys

from ldap3 import DSA, SUBTREE, Connection, Server

PAGED_OID = "1.2.840.113556.1.4.319"
MAX_PAGES = 100  # a server that never ends its cookie must not hang the test


def main():
    url = os.environ["LDAP_URL"]
    people = os.environ["BASE_DN_PEOPLE"]
    bind_dn = os.environ["BIND_DN"]
    password = os.environ["BIND_PASSWORD"]
    page_size = int(os.environ.get("PAGE_SIZE", "2"))
    search_filter = os.environ.get("SEARCH_FILTER", "(objectClass=inetOrgPerson)")
    report = {"page_size": page_size}

    server = Server(url, get_info=DSA, connect_timeout=10)
    conn = Connection(server, user=bind_dn, password=password, raise_exceptions=False,
                      collect_usage=True, receive_timeout=30)
    report["bound"] = bool(conn.bind())
    report["bind_result"] = (conn.result or {}).get("result")
    controls = server.info.supported_controls if server.info else []
    report["supported_controls"] = sorted(c[0] if isinstance(c, (tuple, list)) else str(c) for c in controls or [])

    # 1. ldap3's generator: entries counted as they come, pages as search operations sent.
    generator = {}
    before = conn.usage.search_operations
    try:
        uids = []
        for entry in conn.extend.standard.paged_search(people, search_filter, search_scope=SUBTREE,
                                                       attributes=["uid"], paged_size=page_size,
                                                       generator=True):
            if entry.get("type") == "searchResEntry":
                uids.extend(str(v) for v in entry["attributes"].get("uid", []))
        generator["entries"] = len(uids)
        generator["uids"] = sorted(uids)
    except Exception as error:
        generator["exception"] = f"{type(error).__name__}: {error}"
    generator["pages"] = conn.usage.search_operations - before
    last = conn.result or {}
    generator["last_result"] = last.get("result")
    generator["last_description"] = last.get("description")
    report["generator"] = generator

    # 2. By hand, reading the response control's cookie after each page.
    manual = {"page_entries": [], "page_results": [], "response_control_on_every_page": True, "uids": []}
    cookie = None
    while True:
        conn.search(people, search_filter, search_scope=SUBTREE, attributes=["uid"],
                    paged_size=page_size, paged_cookie=cookie)
        result = conn.result or {}
        entries = [e for e in (conn.response or []) if e.get("type") == "searchResEntry"]
        manual["page_entries"].append(len(entries))
        manual["page_results"].append(result.get("result"))
        for entry in entries:
            manual["uids"].extend(str(v) for v in entry["attributes"].get("uid", []))
        try:
            cookie = result["controls"][PAGED_OID]["value"]["cookie"]
        except (KeyError, TypeError):
            manual["response_control_on_every_page"] = False
            manual["last_description"] = result.get("description")
            manual["last_message"] = result.get("message")
            break
        if not cookie or len(manual["page_entries"]) >= MAX_PAGES:
            break
    manual["pages"] = len(manual["page_entries"])
    manual["entries"] = sum(manual["page_entries"])
    manual["uids"] = sorted(manual["uids"])
    manual["ended_with_empty_cookie"] = not cookie
    report["manual"] = manual

    conn.unbind()
    print(json.dumps(report, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
