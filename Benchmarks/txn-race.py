#!/usr/bin/env python3
"""Reproduces the race of slapd 2.5.13 between the end of an RFC 5805 transaction and the
worker threads still finishing the transaction's queued requests after answering them
(each writes the front-end back into its request, `op->o_bd = bd`, after the answer),
and counts slapd's crashes.

    Benchmarks/txn-race.py [--strategy none|pause|noop|barrier] [--seconds S] [--clients N]
                           [--spinners K] [--pause-ms MS]

Starts its own slapd (back-mdb, Debian's modules and schema, ldapi only, the peercred root
identity) in a scratch folder, then runs N client processes, each on its own connection,
doing transactions like Annuaire's membership writes (an Add and two Modifies committed
together, then a Delete and a Modify committed together), for S seconds while K busy
processes (niced) load the CPU. When slapd dies it is counted (its exit status, the signal) and
started again on the same database; the clients reconnect.

What happens between the last request's answer and `txn end` (the strategy):
  none   nothing: `txn end` right after the answer;
  pause  sleep MS milliseconds (Annuaire pauses 20 ms);
  noop   one more request on the same connection first (Who am I?, RFC 4532) and its answer;
  barrier  what Annuaire does: a Modify of cn=config that slapd refuses (16) only after pausing
         its thread pool, and its answer (Sources/DirectoryBackend/TransactionSettling.swift).

Prints one line of figures and appends it to $OUT if set. Python's standard library only.
"""
import argparse
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse

import socket

TXN_START = "1.3.6.1.1.21.1"
TXN_END = "1.3.6.1.1.21.3"
TXN_SPEC = "1.3.6.1.1.21.2"
WHOAMI = "1.3.6.1.4.1.4203.1.11.3"
SUFFIX = "dc=race,dc=test"
ROOT_DN = "gidNumber=0+uidNumber=0,cn=peercred,cn=external,cn=auth"


def config_ldif(db_dir, run_dir):
    return f"""dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: {run_dir}/slapd.pid

dn: cn=module{{0}},cn=config
objectClass: olcModuleList
cn: module{{0}}
olcModulePath: /usr/lib/ldap
olcModuleLoad: back_mdb

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file:///etc/ldap/schema/core.ldif
include: file:///etc/ldap/schema/cosine.ldif
include: file:///etc/ldap/schema/inetorgperson.ldif

dn: olcDatabase={{-1}}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {{-1}}frontend

dn: olcDatabase={{0}}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {{0}}config
olcAccess: to * by dn.exact={ROOT_DN} manage by * none

dn: olcDatabase={{1}}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {{1}}mdb
olcSuffix: {SUFFIX}
olcRootDN: {ROOT_DN}
olcDbDirectory: {db_dir}
olcDbMaxSize: 1073741824
olcDbIndex: objectClass eq
olcAccess: to * by * none
"""


def tlv(tag, body):
    n = len(body)
    if n < 0x80:
        length = bytes([n])
    else:
        raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(raw)]) + raw
    return bytes([tag]) + length + body


def octets(value, tag=0x04):
    return tlv(tag, value.encode() if isinstance(value, str) else value)


def integer(value, tag=0x02):
    return tlv(tag, value.to_bytes(max(1, (value.bit_length() + 8) // 8), "big", signed=True))


def seq(*parts, tag=0x30):
    return tlv(tag, b"".join(parts))


# A Modify of cn=config that slapd refuses only after pausing its thread pool (back-config
# waits until every other worker thread has finished its task before applying a change): the
# delete of a value the entry does not hold, answered 16 (noSuchAttribute), nothing changed.
BARRIER = tlv(0x66, octets("cn=config") + tlv(0x30, tlv(0x30, tlv(0x0A, b"\x01")
             + tlv(0x30, octets("olcReferral") + tlv(0x31, octets("ldap://annuaire-barrier.invalid/"))))))


class Link:
    """One LDAP connection over slapd's ldapi socket, one request at a time (RFC 4511 BER,
    encoded by hand: python-ldap cannot send the empty transaction identifier slapd uses)."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.msgid = 0
        self.buffer = b""
        expect(self.call(seq(integer(3), octets(""), seq(octets("EXTERNAL"), octets(b""), tag=0xA3), tag=0x60)), "bind")

    def call(self, operation, controls=b""):
        self.msgid += 1
        self.sock.sendall(seq(integer(self.msgid), operation, controls))
        while True:
            message = self.read()
            # LDAPMessage: msgid, protocolOp (its first element is the result code)
            body = message[self.header(message, 0):]
            msgid_end = self.header(body, 0) + body[1]
            op = body[msgid_end:]
            code_at = self.header(op, 0)
            code = op[code_at + 2]
            value = b""
            if op[0] == 0x78:  # extended response: find responseValue [11]
                i = code_at
                inner_end = self.header(op, 0) + self.length(op, 0)
                while i < inner_end:
                    if op[i] == 0x8B:
                        value = op[self.header(op, i):self.header(op, i) + self.length(op, i)]
                    i = self.header(op, i) + self.length(op, i)
            return code, value

    @staticmethod
    def length(data, at):
        first = data[at + 1]
        if first < 0x80:
            return first
        count = first & 0x7F
        return int.from_bytes(data[at + 2:at + 2 + count], "big")

    @staticmethod
    def header(data, at):
        first = data[at + 1]
        return at + 2 + (first & 0x7F if first >= 0x80 else 0)

    def read(self):
        while True:
            if len(self.buffer) >= 2:
                try:
                    total = self.header(self.buffer, 0) + self.length(self.buffer, 0)
                except IndexError:
                    total = None
                if total is not None and len(self.buffer) >= total:
                    message, self.buffer = self.buffer[:total], self.buffer[total:]
                    return message
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("slapd closed the connection")
            self.buffer += chunk

    def close(self):
        self.sock.close()


class Failed(Exception):
    pass


def expect(result, what):
    if result[0] != 0:
        raise Failed(f"{what}: result {result[0]}")
    return result


def client(path, index, deadline, strategy, pause, counts):
    spec = seq(seq(octets(TXN_SPEC), tlv(0x01, b"\xff"), octets(b"")), tag=0xA0)
    n = 0
    link = None
    while time.time() < deadline:
        try:
            if link is None:
                link = Link(path)
            dn = f"cn=m{index}-{n},ou=members,{SUFFIX}"
            n += 1
            value = str(n).encode()
            replace = lambda target: seq(octets(target), seq(seq(tlv(0x0A, b"\x02"),
                                        seq(octets("description"), seq(octets(value), tag=0x31)))), tag=0x66)
            add = seq(octets(dn), seq(seq(octets("objectClass"), seq(octets("applicationProcess"), tag=0x31)),
                                      seq(octets("description"), seq(octets("member"), tag=0x31))), tag=0x68)
            for requests in ([add, replace(f"cn=g{index},{SUFFIX}"), replace(f"cn=u{index},{SUFFIX}")],
                             [octets(dn, tag=0x4A), replace(f"cn=g{index},{SUFFIX}")]):
                expect(link.call(seq(octets(TXN_START, tag=0x80), tag=0x77)), "txn start")
                for request in requests:
                    expect(link.call(request, spec), "request")
                if strategy == "pause":
                    time.sleep(pause)
                elif strategy == "noop":
                    link.call(seq(octets(WHOAMI, tag=0x80), tag=0x77))
                elif strategy == "barrier":
                    code = link.call(BARRIER)[0]
                    if code != 16:
                        raise Failed(f"barrier: result {code}, not 16")
                expect(link.call(seq(octets(TXN_END, tag=0x80), octets(seq(octets(b"")), tag=0x81), tag=0x77)),
                       "txn end")
                with counts.get_lock():
                    counts[0] += 1
        except (OSError, ConnectionError, Failed, IndexError):
            with counts.get_lock():
                counts[1] += 1
            if link is not None:
                link.close()
            link = None
            time.sleep(0.05)


def spin(deadline):
    os.nice(5)
    while time.time() < deadline:
        pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--strategy", choices=["none", "pause", "noop", "barrier"], default="none")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--spinners", type=int, default=2)
    parser.add_argument("--pause-ms", type=float, default=20)
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="txn-race.")
    db, run, conf = (os.path.join(work, d) for d in ("db", "run", "config"))
    for d in (db, run, conf):
        os.makedirs(d)
    with open(os.path.join(work, "config.ldif"), "w") as f:
        f.write(config_ldif(db, run))
    subprocess.run(["/usr/sbin/slapadd", "-n0", "-F", conf, "-l", os.path.join(work, "config.ldif")],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = [f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: race\no: race\n",
            f"dn: ou=members,{SUFFIX}\nobjectClass: organizationalUnit\nou: members\n",
            # ou=members never loses its last child inside a transaction (slapd 2.5.13 fails such a Delete).
            f"dn: cn=keep,ou=members,{SUFFIX}\nobjectClass: applicationProcess\ncn: keep\n"]
    for i in range(args.clients):
        base.append(f"dn: cn=g{i},{SUFFIX}\nobjectClass: applicationProcess\ncn: g{i}\n")
        base.append(f"dn: cn=u{i},{SUFFIX}\nobjectClass: applicationProcess\ncn: u{i}\n")
    with open(os.path.join(work, "base.ldif"), "w") as f:
        f.write("\n".join(base))
    subprocess.run(["/usr/sbin/slapadd", "-q", "-n1", "-F", conf, "-l", os.path.join(work, "base.ldif")],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    socket_path = os.path.join(run, "ldapi")
    uri = "ldapi://" + urllib.parse.quote(socket_path, safe="")

    def start_slapd(attempt=0):
        log = open(os.path.join(work, "slapd.log"), "a")
        process = subprocess.Popen(["/usr/sbin/slapd", "-d", "0", "-F", conf, "-h", uri],
                                   stdout=log, stderr=subprocess.STDOUT)
        for _ in range(200):
            if os.path.exists(socket_path):
                try:
                    Link(socket_path).close()
                    return process
                except (OSError, ConnectionError, IndexError):
                    pass
            if process.poll() is not None:
                if attempt == 0:
                    # A slapd that aborted inside a pthread mutex can leave LMDB's lock file
                    # unusable; nothing else has the database open, so it is made anew.
                    lock = os.path.join(db, "lock.mdb")
                    if os.path.exists(lock):
                        os.unlink(lock)
                    if os.path.exists(socket_path):
                        os.unlink(socket_path)
                    return start_slapd(attempt + 1)
                sys.exit(f"slapd exited during start-up, see {work}/slapd.log")
            time.sleep(0.05)
        sys.exit("slapd did not start")

    slapd = start_slapd()
    deadline = time.time() + args.seconds
    counts = multiprocessing.Array("q", [0, 0])
    spinners = [multiprocessing.Process(target=spin, args=(deadline,)) for _ in range(args.spinners)]
    clients = [multiprocessing.Process(target=client, args=(socket_path, i, deadline, args.strategy,
                                                            args.pause_ms / 1000, counts))
               for i in range(args.clients)]
    crashes = []
    load_start = open("/proc/loadavg").read().split()[0]
    try:
        for p in spinners + clients:
            p.start()
        while time.time() < deadline:
            if slapd.poll() is not None:
                crashes.append(slapd.returncode)
                if os.path.exists(socket_path):
                    os.unlink(socket_path)
                slapd = start_slapd()
            time.sleep(0.05)
        for p in clients + spinners:
            p.join()
        if slapd.poll() is not None:
            crashes.append(slapd.returncode)
    except BaseException:
        if os.environ.get("KEEP") != "1":
            shutil.rmtree(work, ignore_errors=True)
        raise
    finally:
        # Interrupted or not, no process of the run outlives it.
        for p in clients + spinners:
            if p.is_alive():
                p.terminate()
        if slapd.poll() is None:
            slapd.send_signal(signal.SIGTERM)
            slapd.wait()
    load_end = open("/proc/loadavg").read().split()[0]
    names = [signal.Signals(-c).name if c < 0 else f"exit {c}" for c in crashes]
    signals = ", ".join(f"{names.count(n)} {n}" for n in sorted(set(names))) or "-"
    line = (f"strategy={args.strategy}{'(%g ms)' % args.pause_ms if args.strategy == 'pause' else ''} "
            f"seconds={args.seconds:g} clients={args.clients} spinners={args.spinners} "
            f"transactions={counts[0]} client_errors={counts[1]} slapd_crashes={len(crashes)} ({signals}) "
            f"tx/s={counts[0] / args.seconds:.1f} loadavg={load_start}->{load_end}")
    print(line)
    if os.environ.get("OUT"):
        with open(os.environ["OUT"], "a") as f:
            f.write(line + "\n")
    if os.environ.get("KEEP") != "1":
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"kept {work}")


if __name__ == "__main__":
    main()
