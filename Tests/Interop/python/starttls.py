#!/usr/bin/env python3
"""ldap3 over TLS against Annuaire, trusting only the server's certificate:
(a) StartTLS on the plain URL, then a simple bind and Who am I;
(b) ldaps:// (use_ssl=True), bind and Who am I;
(c) ldaps:// trusting another CA (not the server's certificate): the
    handshake must fail certificate verification.

Environment: LDAP_URL, LDAPS_PORT, CA_FILE (the server's certificate, PEM),
BIND_DN, BIND_PASSWORD, optionally UNTRUSTED_CA_FILE (a PEM that did not
issue the server's certificate; default: the system CA bundle).
Prints one JSON object (snake_case keys) with what was observed; exits 0
unless this program broke.
"""
import json
import os
import ssl
import sys
from urllib.parse import urlparse

from ldap3 import Connection, Server, Tls


def describe(error):
    return f"{type(error).__name__}: {error}"


def tls_for(ca_file):
    return Tls(ca_certs_file=ca_file, validate=ssl.CERT_REQUIRED, version=ssl.PROTOCOL_TLS_CLIENT)


def result_of(conn):
    result = conn.result or {}
    return {"result": result.get("result"), "description": result.get("description")}


def start_tls(url, ca_file, bind_dn, password):
    """(a) StartTLS, then bind and Who am I, all on one connection."""
    report = {"started": False, "bound": False, "who_am_i": None, "tls_version": None, "exception": None}
    conn = None
    try:
        server = Server(url, tls=tls_for(ca_file), connect_timeout=10)
        conn = Connection(server, user=bind_dn, password=password, raise_exceptions=False,
                          receive_timeout=30, auto_bind=False)
        conn.open()  # ldap3's open() returns nothing: check closed instead
        if conn.closed:
            report["exception"] = "cannot open: " + str(conn.last_error)
            return report
        report["started"] = bool(conn.start_tls())
        report["start_tls"] = result_of(conn)
        report["tls_started"] = bool(conn.tls_started)
        report["tls_version"] = tls_version(conn)
        if report["started"]:
            report["bound"] = bool(conn.bind())
            report["bind"] = result_of(conn)
            report["who_am_i"] = conn.extend.standard.who_am_i()
    except Exception as error:
        report["exception"] = describe(error)
    finally:
        if conn is not None:
            try:
                conn.unbind()
            except Exception:
                pass
    return report


def ldaps(host, port, ca_file, bind_dn, password):
    """(b)/(c) ldaps://: bind and Who am I, or the failure to verify the certificate."""
    report = {"bound": False, "who_am_i": None, "tls_version": None, "exception": None, "verification_failed": False}
    conn = None
    try:
        server = Server(f"ldaps://{host}:{port}", use_ssl=True, tls=tls_for(ca_file), connect_timeout=10)
        conn = Connection(server, user=bind_dn, password=password, raise_exceptions=False, receive_timeout=30)
        report["bound"] = bool(conn.bind())
        report["bind"] = result_of(conn)
        report["tls_version"] = tls_version(conn)
        if report["bound"]:
            report["who_am_i"] = conn.extend.standard.who_am_i()
        elif conn.last_error:
            report["exception"] = str(conn.last_error)
    except Exception as error:
        report["exception"] = describe(error)
    finally:
        if conn is not None:
            try:
                conn.unbind()
            except Exception:
                pass
    text = (report["exception"] or "").lower()
    report["verification_failed"] = "certificate verify failed" in text or "certificate_verify_failed" in text
    return report


def tls_version(conn):
    try:
        socket = conn.socket
        return socket.version() if hasattr(socket, "version") else None
    except Exception:
        return None


def main():
    url = os.environ["LDAP_URL"]
    host = urlparse(url).hostname or "127.0.0.1"
    ldaps_port = int(os.environ["LDAPS_PORT"])
    ca_file = os.environ["CA_FILE"]
    untrusted_ca_file = os.environ.get("UNTRUSTED_CA_FILE") or ssl.get_default_verify_paths().cafile \
        or "/etc/ssl/certs/ca-certificates.crt"
    bind_dn = os.environ["BIND_DN"]
    password = os.environ["BIND_PASSWORD"]

    report = {
        "start_tls": start_tls(url, ca_file, bind_dn, password),
        "ldaps": ldaps(host, ldaps_port, ca_file, bind_dn, password),
        "untrusted": ldaps(host, ldaps_port, untrusted_ca_file, bind_dn, password),
    }
    report["untrusted"]["ca_file"] = untrusted_ca_file
    print(json.dumps(report, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
