#!/usr/bin/env python3
"""ldap3 binds that must fail alike (invalidCredentials, 49): a wrong password,
an unknown DN, a closed account. A correct bind first shows the setup works.

Environment: LDAP_URL, BIND_DN, BIND_PASSWORD (a valid account and its password),
UNKNOWN_DN, CLOSED_DN (tried with BIND_PASSWORD).
Prints one JSON object with what was observed; exits 0 unless this program broke.
"""
import json
import os
import sys

from ldap3 import Connection, Server


def attempt(server, dn, password):
    conn = Connection(server, user=dn, password=password, raise_exceptions=False, receive_timeout=30)
    bound = bool(conn.bind())
    result = conn.result or {}
    conn.unbind()
    return {
        "dn": dn,
        "bound": bound,
        "result": result.get("result"),
        "description": result.get("description"),
        "message": result.get("message"),
    }


def main():
    url = os.environ["LDAP_URL"]
    bind_dn = os.environ["BIND_DN"]
    password = os.environ["BIND_PASSWORD"]
    server = Server(url, connect_timeout=10)
    report = {
        "correct": attempt(server, bind_dn, password),
        "wrong_password": attempt(server, bind_dn, password + "-wrong"),
        "unknown_user": attempt(server, os.environ["UNKNOWN_DN"], password),
        "closed_user": attempt(server, os.environ["CLOSED_DN"], password),
    }
    print(json.dumps(report, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
