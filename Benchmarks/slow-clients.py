#!/usr/bin/env python3
"""Memory and slow clients against a real `annuaire serve` (issue #9).

    Benchmarks/slow-clients.py [--connections 1000] [--partial 200] [--partial-kib 1024]

Environment: BIN (folder of the annuaire executable, default .build/debug),
PORT (loopback port, default 13489), WORK (scratch folder, default a new /tmp one).

Phases, each followed by a VmRSS/VmHWM reading of the server process (from
/proc/PID/status; the embedded slapd is a separate process, not counted):
  1. started, demo loaded, nothing connected;
  2. CONNECTIONS connections open, each has done an anonymous root DSE search
     and stays open; one slow-drip client sends a request one byte a second,
     and meanwhile one more client runs 100 root DSE searches (their answers and
     latency are printed: the others are served while the drip goes on);
  3. the drip runs until the server cuts it (--request-timeout, default 60 s)
     or 120 s pass;
  4. PARTIAL connections each send PARTIAL_KIB KiB of a request that never
     completes (the worst a client can do within --max-pdu-size: the server
     buffers a partial PDU until it is whole, too big, or timed out);
  5. all closed.
Nothing here is asserted; it prints what it measured.
"""
import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT_DSE = bytes.fromhex("3025020101632004000a01000a0100020100020100010100870b6f626a656374436c6173733000")


def rss(pid):
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(value.split()[0]) / 1024
    return f"VmRSS {values['VmRSS']:.1f} MiB, VmHWM {values['VmHWM']:.1f} MiB"


def read_pdus(sock, count):
    """Reads `count` whole PDUs (short definite lengths are enough for root DSE answers)."""
    buffer = b""
    got = 0
    while got < count:
        while True:
            if len(buffer) >= 2:
                length = buffer[1]
                header = 2
                if length & 0x80:
                    n = length & 0x7F
                    if len(buffer) < 2 + n:
                        length = None
                    else:
                        length = int.from_bytes(buffer[2:2 + n], "big")
                        header = 2 + n
                if length is not None and len(buffer) >= header + length:
                    buffer = buffer[header + length:]
                    got += 1
                    break
            chunk = sock.recv(65536)
            if not chunk:
                return got
            buffer += chunk
    return got


def root_dse(sock, message_id):
    pdu = bytearray(ROOT_DSE)
    pdu[4] = message_id
    sock.sendall(bytes(pdu))
    return read_pdus(sock, 2) == 2


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--partial", type=int, default=200)
    parser.add_argument("--partial-kib", type=int, default=1024)
    args = parser.parse_args()
    binary = os.path.join(os.environ.get("BIN", os.path.join(ROOT, ".build/debug")), "annuaire")
    port = int(os.environ.get("PORT", "13489"))
    work = os.environ.get("WORK") or tempfile.mkdtemp(prefix="annslow.")
    server = subprocess.Popen(
        [binary, "serve", "--demo", "--data-dir", os.path.join(work, "d"), "--listen", f"127.0.0.1:{port}",
         "--ldaps", "none", "--log-level", "warning", "--operation-log-level", "debug",
         "--max-connections", str(args.connections + args.partial + 100)],
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
        print(f"1. idle server: {rss(server.pid)}")

        held = []
        start = time.monotonic()
        for index in range(args.connections):
            sock = socket.create_connection(("127.0.0.1", port))
            held.append(sock)
            if not root_dse(sock, 1):
                print(f"   connection {index} got no answer")
        print(f"2. {len(held)} connections open, each answered a root DSE search "
              f"({time.monotonic() - start:.1f} s to open them): {rss(server.pid)}")

        drip = socket.create_connection(("127.0.0.1", port))
        # A 203-byte PDU (its content never matters: it is not whole before 200 s at one byte a second).
        request = b"\x30\x81\xc8\x02\x01\x01" + b"\x04" * 197
        cut = {"at": None, "sent": 0}

        def dripper():
            drip.settimeout(1.0)
            for byte in request[:-1]:
                try:
                    drip.sendall(bytes([byte]))
                    cut["sent"] += 1
                except OSError:
                    break
                try:
                    drip.recv(4096)  # the Notice of Disconnection, or end of stream
                    cut["at"] = time.monotonic()
                    return
                except socket.timeout:
                    pass
            cut["at"] = None

        drip_start = time.monotonic()
        thread = threading.Thread(target=dripper, daemon=True)
        thread.start()
        probe = socket.create_connection(("127.0.0.1", port))
        latencies = []
        for index in range(100):
            t0 = time.monotonic()
            ok = root_dse(probe, (index % 100) + 1)
            latencies.append((time.monotonic() - t0) * 1000)
            if not ok:
                print("   a probe search got no answer")
        latencies.sort()
        print(f"   while dripping: 100 root DSE searches on another connection answered, "
              f"median {latencies[50]:.2f} ms, max {latencies[-1]:.2f} ms")
        thread.join(timeout=120)
        if cut["at"] is not None:
            print(f"3. the slow-drip client was disconnected after {cut['at'] - drip_start:.0f} s "
                  f"and {cut['sent']} of {len(request)} bytes: {rss(server.pid)}")
        else:
            print(f"3. the slow-drip client was not disconnected ({cut['sent']} bytes sent): {rss(server.pid)}")

        partial = []
        payload = b"\x30\x84" + (args.partial_kib * 1024 + 100).to_bytes(4, "big") + b"\x02\x01\x01" + b"\x00" * (args.partial_kib * 1024 - 9)
        for _ in range(args.partial):
            sock = socket.create_connection(("127.0.0.1", port))
            sock.sendall(payload)
            partial.append(sock)
        time.sleep(2)
        print(f"4. {args.partial} connections each holding a {args.partial_kib} KiB partial request: {rss(server.pid)}")
        for sock in held + partial + [probe, drip]:
            sock.close()
        time.sleep(3)
        print(f"5. all closed: {rss(server.pid)}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
