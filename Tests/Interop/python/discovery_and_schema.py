#!/usr/bin/env python3
"""ldap3 against Annuaire: root DSE and schema discovery, then a search with
check_names=True and Who am I.

Environment: LDAP_URL, BASE_DN, BIND_DN, BIND_PASSWORD.
Prints one JSON object with what was observed; exits 0 unless this program broke.
"""
import json
import os
import sys

from ldap3 import ALL, SUBTREE, Connection, Server


def result_of(conn):
    result = conn.result or {}
    return {"result": result.get("result"), "description": result.get("description")}


def oids(values):
    # server.info lists extensions/controls as (oid, kind, name, origin) tuples.
    return sorted(value[0] if isinstance(value, (tuple, list)) else str(value) for value in (values or []))


def main():
    url = os.environ["LDAP_URL"]
    base = os.environ["BASE_DN"]
    bind_dn = os.environ["BIND_DN"]
    password = os.environ["BIND_PASSWORD"]
    report = {}

    server = Server(url, get_info=ALL, connect_timeout=10)

    anonymous = Connection(server, check_names=True, raise_exceptions=False, receive_timeout=30)
    report["anonymous"] = {"bound": bool(anonymous.bind()), **result_of(anonymous)}
    report["anonymous"]["who_am_i"] = anonymous.extend.standard.who_am_i()

    info = server.info
    report["info_loaded"] = info is not None
    report["naming_contexts"] = sorted(info.naming_contexts or []) if info else []
    report["supported_ldap_versions"] = sorted(str(v) for v in (info.supported_ldap_versions or [])) if info else []
    report["supported_extensions"] = oids(info.supported_extensions) if info else []
    report["supported_controls"] = oids(info.supported_controls) if info else []

    schema = server.schema
    report["schema_loaded"] = schema is not None and bool(schema.object_classes)
    report["schema_object_class_count"] = len(schema.object_classes) if schema else 0
    report["schema_attribute_type_count"] = len(schema.attribute_types) if schema else 0
    report["schema_has_ann_group"] = bool(schema) and "annGroup" in schema.object_classes
    report["schema_has_ann_open_date"] = bool(schema) and "annOpenDate" in schema.attribute_types
    report["schema_has_member_of"] = bool(schema) and "memberOf" in schema.attribute_types
    anonymous.unbind()

    bound = Connection(server, user=bind_dn, password=password, check_names=True,
                       raise_exceptions=False, receive_timeout=30)
    report["bound"] = {"bound": bool(bound.bind()), **result_of(bound)}
    report["bound"]["who_am_i"] = bound.extend.standard.who_am_i()

    search = {}
    try:
        bound.search(base, "(sn=DUP*)", search_scope=SUBTREE, attributes=["cn", "mail", "memberOf"])
        search.update(result_of(bound))
        search["entries"] = [
            {
                "dn": entry["dn"],
                "cn": [str(v) for v in entry["attributes"].get("cn", [])],
                "mail": [str(v) for v in entry["attributes"].get("mail", [])],
                "memberOf": [str(v) for v in entry["attributes"].get("memberOf", [])],
            }
            for entry in (bound.response or [])
            if entry.get("type") == "searchResEntry"
        ]
    except Exception as error:  # check_names rejecting something is an observation, not a crash
        search["exception"] = f"{type(error).__name__}: {error}"
        search["entries"] = []
    report["search"] = search
    bound.unbind()

    print(json.dumps(report, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
