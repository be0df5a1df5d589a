#!/usr/bin/env python3
"""Measurements for Benchmarks/failover.sh (issue #19), with python-ldap.

  failover_probe.py reader STOPFILE OUT.csv DN PASSWORD URL [URL...]
      binds as DN and searches its own entry, round-robin over the front-ends' URLs, until
      STOPFILE exists; one line per attempt: unix time, url, ok|error, detail.
  failover_probe.py lag WRITER_LDAPI READER_LDAPI ENTRY COUNT OUT.csv
      COUNT times: replaces ENTRY's description on the writer provider (as its administrator,
      SASL EXTERNAL) and polls the reader provider until the value is there; one line per
      sample: unix time, lag in ms (or 'timeout').
"""
import sys
import time

import ldap


def reader(stopfile, out, dn, password, urls):
    import os
    index = 0
    with open(out, "w") as log:
        while not os.path.exists(stopfile):
            url = urls[index % len(urls)]
            index += 1
            started = time.time()
            try:
                conn = ldap.initialize(url)
                conn.set_option(ldap.OPT_NETWORK_TIMEOUT, 5)
                conn.set_option(ldap.OPT_TIMEOUT, 10)
                conn.simple_bind_s(dn, password)
                found = conn.search_s(dn, ldap.SCOPE_BASE, "(objectClass=*)", ["uid"])
                conn.unbind_s()
                status, detail = ("ok", "") if found else ("error", "not found")
            except ldap.LDAPError as error:
                status, detail = "error", type(error).__name__
            log.write(f"{started:.3f},{url},{status},{detail}\n")
            log.flush()
            time.sleep(0.05)


def external(uri):
    conn = ldap.initialize(uri)
    conn.set_option(ldap.OPT_TIMEOUT, 15)
    conn.sasl_non_interactive_bind_s("EXTERNAL")
    return conn


def lag(writer_uri, reader_uri, entry, count, out):
    writer = external(writer_uri)
    reader = external(reader_uri)
    with open(out, "w") as log:
        for sample in range(int(count)):
            value = f"probe {time.time():.6f} {sample}".encode()
            started = time.time()
            try:
                writer.modify_s(entry, [(ldap.MOD_REPLACE, "description", [value])])
            except ldap.LDAPError as error:
                log.write(f"{started:.3f},write-error {type(error).__name__}\n")
                time.sleep(0.2)
                continue
            while True:
                try:
                    seen = reader.search_s(entry, ldap.SCOPE_BASE, "(objectClass=*)", ["description"])
                except ldap.LDAPError:
                    seen = []
                if seen and seen[0][1].get("description", [b""])[0] == value:
                    log.write(f"{started:.3f},{(time.time() - started) * 1000:.1f}\n")
                    break
                if time.time() - started > 10:
                    log.write(f"{started:.3f},timeout\n")
                    break
                time.sleep(0.002)
            log.flush()
            time.sleep(0.2)


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "reader":
        reader(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:])
    elif mode == "lag":
        lag(*sys.argv[2:7])
    else:
        sys.exit(__doc__)
