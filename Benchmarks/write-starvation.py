#!/usr/bin/env python3
"""How long an administrator's write waits while a plain user floods the server
with writes the rules refuse (issue #14, finding 8).

Against a running `annuaire serve --demo`: the administrator changes a person's
telephone number ROUNDS times alone, then ROUNDS times while CONNECTIONS
connections bound as a plain user each keep PIPELINE refused Modifies in
flight (a colleague's entry, out of that user's sight). Prints the medians and
maxima of both, and how many refused answers the flood got.

    python3 Benchmarks/write-starvation.py --url ldap://127.0.0.1:3389 \\
        [--connections 64] [--pipeline 16] [--rounds 30]
"""
import argparse
import statistics
import threading
import time

import ldap

SUFFIX = "dc=annuaire,dc=local"
PASSWORD = "Annuaire-Demo-2026"
ADMIN = f"uid=XXX0606XX01,ou=people,{SUFFIX}"
USER = f"uid=XXX0606XX06,ou=people,{SUFFIX}"
TARGET = f"uid=XXX0606XX10,ou=people,{SUFFIX}"
COLLEAGUE = f"uid=XXX0606XX07,ou=people,{SUFFIX}"


def bound(url, dn):
    connection = ldap.initialize(url)
    connection.protocol_version = 3
    connection.simple_bind_s(dn, PASSWORD)
    return connection


def admin_writes(url, rounds):
    connection = bound(url, ADMIN)
    durations = []
    for index in range(rounds):
        started = time.perf_counter()
        connection.modify_s(TARGET, [(ldap.MOD_REPLACE, "telephoneNumber", [f"01020304{index % 100:02d}".encode()])])
        durations.append((time.perf_counter() - started) * 1000)
    connection.unbind_s()
    return durations


def flood(url, pipeline, stop, answers, lock):
    connection = bound(url, USER)
    pending = set()
    while not stop.is_set():
        while len(pending) < pipeline:
            pending.add(connection.modify(COLLEAGUE, [(ldap.MOD_REPLACE, "description", [b"pris"])]))
        try:
            _, _, msgid, _ = connection.result3(ldap.RES_ANY, all=1, timeout=5)
        except ldap.LDAPError:
            # A refusal arrives as an exception carrying its msgid.
            msgid = None
        with lock:
            answers[0] += 1
        if msgid in pending:
            pending.discard(msgid)
        elif pending:
            pending.pop()
    connection.unbind_s()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="ldap://127.0.0.1:3389")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--pipeline", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=30)
    arguments = parser.parse_args()

    alone = admin_writes(arguments.url, arguments.rounds)
    stop = threading.Event()
    answers, lock = [0], threading.Lock()
    threads = [threading.Thread(target=flood, args=(arguments.url, arguments.pipeline, stop, answers, lock))
               for _ in range(arguments.connections)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    flooded = admin_writes(arguments.url, arguments.rounds)
    stop.set()
    for thread in threads:
        thread.join()
    print(f"administrator's write alone:        median {statistics.median(alone):7.1f} ms, max {max(alone):7.1f} ms ({len(alone)} writes)")
    print(f"administrator's write under flood:  median {statistics.median(flooded):7.1f} ms, max {max(flooded):7.1f} ms "
          f"({arguments.connections} connections x {arguments.pipeline} refused Modifies in flight, {answers[0]} refusals answered)")


if __name__ == "__main__":
    main()
