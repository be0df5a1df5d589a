#!/usr/bin/env python3
"""Refused binds against a real `annuaire serve`: do their answers and their
times say why they were refused? (issue #14, finding 5)

    Benchmarks/bind-timing.py [--samples 50]

Environment: BIN (folder of the annuaire executable, default .build/debug),
PORT (loopback port, default 13490), WORK (scratch folder, default a new /tmp one).

Starts `annuaire serve --demo`, adds SAMPLES people with a password (as the
operator, through Annuaire), locks one demo account (five wrong passwords),
then times simple binds with the password policy control, one case after the
other in rounds (so that load drifts hit every case alike):
  missing   a DN that names no entry
  wrong     an existing open person, wrong password (each person at most once)
  closed    the demo's closed person, right password
  locked    the locked person, right password
  right     an existing person, right password (reference: a successful bind)
and prints, per case, the median, quartiles and extremes in milliseconds, and
the answer's bytes (messageID aside). Nothing is asserted.
"""
import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUFFIX = "dc=annuaire,dc=local"
PASSWORD = "Annuaire-Demo-2026"
PPOLICY = b"1.3.6.1.4.1.42.2.27.8.5.1"


def tlv(tag, content):
    n = len(content)
    if n < 0x80:
        length = bytes([n])
    else:
        raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(raw)]) + raw
    return bytes([tag]) + length + content


def bind_request(message_id, dn, password, policy=True):
    bind = tlv(0x60, tlv(0x02, b"\x03") + tlv(0x04, dn.encode()) + tlv(0x80, password.encode()))
    controls = tlv(0xA0, tlv(0x30, tlv(0x04, PPOLICY))) if policy else b""
    return tlv(0x30, tlv(0x02, bytes([message_id])) + bind + controls)


def read_pdu(sock):
    def exactly(n):
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                raise EOFError("connection closed")
            data += chunk
        return data
    head = exactly(2)
    length = head[1]
    extra = b""
    if length & 0x80:
        extra = exactly(length & 0x7F)
        length = int.from_bytes(extra, "big")
    return head + extra + exactly(length)


def timed_bind(sock, dn, password):
    request = bind_request(1, dn, password)
    start = time.perf_counter()
    sock.sendall(request)
    answer = read_pdu(sock)
    return (time.perf_counter() - start) * 1000, answer


def add_people(port, count):
    ldif = []
    for index in range(count):
        uid = f"BENCH{index:04d}"
        ldif += [f"dn: uid={uid},ou=people,{SUFFIX}", "changetype: add", "objectClass: inetOrgPerson", f"uid: {uid}",
                 f"cn: Bench {index}", "sn: BENCH", f"givenName: Bench{index}", f"mail: bench{index}@partenaire.fr",
                 f"userPassword: {PASSWORD}", ""]
    subprocess.run(["ldapmodify", "-x", "-H", f"ldap://127.0.0.1:{port}", "-D", f"uid=operateur,ou=operators,{SUFFIX}",
                    "-w", PASSWORD], input="\n".join(ldif), text=True, check=True, stdout=subprocess.DEVNULL)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=50)
    args = parser.parse_args()
    binary = os.path.join(os.environ.get("BIN", os.path.join(ROOT, ".build/debug")), "annuaire")
    port = int(os.environ.get("PORT", "13490"))
    work = os.environ.get("WORK") or tempfile.mkdtemp(prefix="annbind.")
    server = subprocess.Popen(
        [binary, "serve", "--demo", "--data-dir", os.path.join(work, "d"), "--listen", f"127.0.0.1:{port}",
         "--ldaps", "none", "--log-level", "warning", "--operation-log-level", "debug"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "serve.log"), "w"))
    try:
        for _ in range(600):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None:
                    sys.exit(f"annuaire serve exited: see {work}/serve.log")
                time.sleep(0.1)
        time.sleep(1)
        add_people(port, args.samples)
        sock = socket.create_connection(("127.0.0.1", port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        locked = f"uid=XXX0606XX11,ou=people,{SUFFIX}"
        for _ in range(5):
            timed_bind(sock, locked, "wrong-password")
        cases = {
            "missing": lambda i: (f"uid=NOBODY{i:04d},ou=people,{SUFFIX}", PASSWORD),
            "wrong": lambda i: (f"uid=BENCH{i:04d},ou=people,{SUFFIX}", "wrong-password"),
            "closed": lambda i: (f"uid=XXX0606XX09,ou=people,{SUFFIX}", PASSWORD),
            "locked": lambda i: (locked, PASSWORD),
            "right": lambda i: (f"uid=XXX0606XX06,ou=people,{SUFFIX}", PASSWORD),
        }
        times = {name: [] for name in cases}
        answers = {name: set() for name in cases}
        for _ in range(3):  # warm-up
            for name, make in cases.items():
                if name != "wrong":
                    timed_bind(sock, *make(0))
        for index in range(args.samples):
            for name, make in cases.items():
                elapsed, answer = timed_bind(sock, *make(index))
                times[name].append(elapsed)
                answers[name].add(answer.hex())
        print(f"{args.samples} binds per case, one connection, password policy control asked for; milliseconds")
        print(f"{'case':8} {'median':>8} {'q1':>8} {'q3':>8} {'min':>8} {'max':>8}  answer")
        for name in cases:
            values = sorted(times[name])
            q1, _, q3 = statistics.quantiles(values, n=4)
            print(f"{name:8} {statistics.median(values):8.2f} {q1:8.2f} {q3:8.2f} {values[0]:8.2f} {values[-1]:8.2f}  "
                  f"{' | '.join(sorted(answers[name]))}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
