#!/usr/bin/env python3
"""The portal's pages under load (issue #17, item 5): on the benchmark data
(`annuaire-bench generate`, see Benchmarks/README.md: 500 users per
convention, 5 groups each, the convention's first user administers it),
10 concurrent sessions, each logged in as the administrator of a different
convention, request the portal's pages in turn for DURATION seconds; the
latency of every page is recorded and its p50 / p95 / max printed and
appended to $WORK/portal-results.md.

    Benchmarks/portal-pages.py [USERS] [DURATION] [SESSIONS]

USERS defaults to 100000, DURATION to 30 s, SESSIONS to 10. BIN (default
.build-bench/release, else .build/release, else .build/debug) holds `annuaire` and
`annuaire-bench`. The data is generated and loaded once into $WORK
(default /tmp/annuaire-portal-bench-USERS) and reused by later runs.
ANNUAIRE_ARGS: more `annuaire serve` options (e.g. --no-fast-path).

What is measured: the time from sending a request to reading the whole answer,
over plain HTTP on loopback (the portal's `--portal-plain-http`), so it is
the portal's and the LDAP server's time plus one loopback round trip; the
Python client shares the machine's cores with both servers. A benchmark, not
a test: it prints figures and fails only when a page answers with an error.
"""
import html
import http.cookiejar
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
USERS = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
DURATION = float(sys.argv[2]) if len(sys.argv) > 2 else 30.0
SESSIONS = int(sys.argv[3]) if len(sys.argv) > 3 else 10
USERS_PER_CONVENTION = 500
PASSWORD = "Annuaire-Demo-2026"
WORK = os.environ.get("WORK", f"/tmp/annuaire-portal-bench-{USERS}")
APORT = int(os.environ.get("APORT", "13489"))
SPORT = int(os.environ.get("SPORT", "13490"))
PPORT = int(os.environ.get("PPORT", "13491"))


def binaries():
    if "BIN" in os.environ:
        return os.environ["BIN"]
    for candidate in [".build-bench/release", ".build/release", ".build/debug"]:
        path = os.path.join(ROOT, candidate)
        if os.path.exists(os.path.join(path, "annuaire")) and os.path.exists(os.path.join(path, "annuaire-bench")):
            return path
    sys.exit("no annuaire and annuaire-bench binaries: swift build -c release --product annuaire --product annuaire-bench --scratch-path .build-bench")


BIN = binaries()
processes = []


def start(arguments, log):
    process = subprocess.Popen(arguments, stdout=open(log, "w"), stderr=subprocess.STDOUT, cwd=ROOT)
    processes.append(process)
    return process


def stop_all():
    for process in reversed(processes):
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_port(port, process, what, seconds=600):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{what} exited during start-up (see {WORK})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{what} did not open port {port}")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def prepare():
    """The data folder, once: the embedded configuration, then the generated LDIF loaded by slapadd."""
    data = os.path.join(WORK, "data")
    if os.path.exists(os.path.join(WORK, "loaded")):
        return data
    subprocess.run(["rm", "-rf", WORK], check=True)
    os.makedirs(WORK)
    init = start([f"{BIN}/annuaire", "serve", "--data-dir", data, "--listen", f"127.0.0.1:{APORT}", "--ldaps", "none", "--log-level", "warning"],
                 os.path.join(WORK, "init.log"))
    wait_port(APORT, init, "annuaire (first start)")
    init.send_signal(signal.SIGTERM)
    init.wait()
    started = time.time()
    subprocess.run([f"{BIN}/annuaire-bench", "generate", "--users", str(USERS), "--out", os.path.join(WORK, "data.ldif")], check=True)
    generated = time.time()
    subprocess.run(["/usr/sbin/slapadd", "-q", "-n1", "-F", os.path.join(data, "config"), "-l", os.path.join(WORK, "data.ldif")], check=True)
    print(f"LDIF generated in {generated - started:.1f} s, loaded by slapadd in {time.time() - generated:.1f} s", flush=True)
    open(os.path.join(WORK, "loaded"), "w").close()
    return data


def serve(data):
    ldapi = "ldapi://" + urllib.parse.quote(os.path.join(data, "run", "ldapi"), safe="")
    slapd = start(["/usr/sbin/slapd", "-d", "0", "-F", os.path.join(data, "config"), "-h", f"{ldapi} ldap://127.0.0.1:{SPORT}"],
                  os.path.join(WORK, "slapd.log"))
    wait_port(SPORT, slapd, "slapd")
    annuaire = start([f"{BIN}/annuaire", "serve", "--backend", ldapi, "--data-dir", os.path.join(WORK, "annuaire-state"),
                      "--listen", f"127.0.0.1:{APORT}", "--ldaps", "none", "--log-level", "warning", "--reconcile-interval", "3600"]
                     + os.environ.get("ANNUAIRE_ARGS", "").split(),
                     os.path.join(WORK, "annuaire.log"))
    wait_port(APORT, annuaire, "annuaire")
    # The start-up reconciliation is over when Annuaire's CPU time stops moving.
    previous = -1
    for _ in range(1200):
        current = cpu_seconds(annuaire.pid)
        if current == previous:
            break
        previous = current
        time.sleep(0.5)
    portal = start([f"{BIN}/annuaire", "portal", "--ldap-uri", f"ldap://127.0.0.1:{APORT}", "--ldap-tls", "off",
                    "--listen", f"127.0.0.1:{PPORT}", "--portal-plain-http", "--log-level", "warning"],
                   os.path.join(WORK, "portal.log"))
    wait_port(PPORT, portal, "portal")
    return annuaire, portal


def uid(i):
    return "U" + str(i).zfill(7)


class Session:
    """One browser: its own cookies, logged in as the administrator of `convention`."""

    def __init__(self, convention):
        self.convention = convention
        self.number = f"CONV-{convention:05d}"
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())
        self.base = f"http://127.0.0.1:{PPORT}"
        self.csrf = None

    def get(self, path):
        return self.request(path)

    def request(self, path, form=None):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, data=data, timeout=60) as answer:
                body = answer.read().decode("utf-8", "replace")
                status = answer.status
        except urllib.error.HTTPError as error:
            body = error.read().decode("utf-8", "replace")
            status = error.code
        elapsed = time.perf_counter() - started
        found = re.search(r'name="csrf" value="([A-Za-z0-9_-]{43})"', body)
        if found:
            self.csrf = found.group(1)
        return status, body, elapsed

    def login(self):
        self.get("/connexion")
        status, _, _ = self.request("/connexion", {"identifiant": uid(self.convention * USERS_PER_CONVENTION), "motdepasse": PASSWORD, "csrf": self.csrf})
        if status != 303:
            raise SystemExit(f"login of {uid(self.convention * USERS_PER_CONVENTION)} answered {status}")

    def pages(self):
        c = self.number
        user = uid(self.convention * USERS_PER_CONVENTION + random.randrange(1, USERS_PER_CONVENTION))
        group = f"G{random.randrange(1, 6)}"
        return [
            ("Bienvenue", "/accueil"),
            ("Mes conventions", "/conventions"),
            ("Détail convention", f"/conventions/detail?convention={c}"),
            ("Utilisateurs, page 1", f"/utilisateurs?convention={c}"),
            ("Utilisateurs, page suivante", f"/utilisateurs?convention={c}&page=suivante"),
            ("Utilisateurs, filtre nom", f"/utilisateurs?convention={c}&nom=NOM{user[:5]}"),
            ("Utilisateurs, filtre groupe", f"/utilisateurs?convention={c}&groupe={group}"),
            ("Autres actions", f"/utilisateurs/actions?identifiant={user}&convention={c}"),
            ("Modifier un utilisateur", f"/utilisateurs/modifier?identifiant={user}&convention={c}"),
            ("Groupes", f"/groupes?convention={c}"),
            ("Groupes, filtre utilisateur", f"/groupes?convention={c}&utilisateur={user}"),
            ("Modifier un groupe", f"/groupes/modifier?convention={c}&code={group}"),
            ("Historique (convention)", f"/historique?convention={c}"),
            ("Historique (utilisateur)", f"/historique?convention={c}&utilisateur={user}"),
            ("Tableaux de bord", f"/tableaux-de-bord?convention={c}"),
            ("Mon profil", "/profil"),
        ]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *arguments):
        return None


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    data = prepare()
    try:
        serve(data)
        conventions = random.sample(range(USERS // USERS_PER_CONVENTION), SESSIONS)
        sessions = [Session(c) for c in conventions]
        for session in sessions:
            session.login()
        for session in sessions:  # one warm-up pass each
            for _, path in session.pages():
                session.get(path)
        timings = {}
        errors = []
        lock = threading.Lock()
        load = open("/proc/loadavg").read().split()[:3]
        deadline = time.time() + DURATION

        def run(session):
            while time.time() < deadline:
                for name, path in session.pages():
                    status, body, elapsed = session.get(path)
                    with lock:
                        timings.setdefault(name, []).append(elapsed * 1000)
                        if status != 200:
                            errors.append(f"{name} {path}: {status} {html.unescape(body)[:200]}")

        threads = [threading.Thread(target=run, args=(session,)) for session in sessions]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        lines = [
            f"### Portal pages, {USERS} users, {SESSIONS} sessions, {DURATION:.0f} s — {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}",
            "",
            f"Binaries: `{os.path.relpath(BIN, ROOT)}`; {os.cpu_count()} cores; loadavg before: {' '.join(load)}.",
            "",
            "| page | requests | p50 ms | p95 ms | max ms |",
            "|---|---:|---:|---:|---:|",
        ]
        for name, _ in sessions[0].pages():
            values = timings.get(name, [])
            if values:
                lines.append(f"| {name} | {len(values)} | {percentile(values, 0.5):.1f} | {percentile(values, 0.95):.1f} | {max(values):.1f} |")
        every = [value for values in timings.values() for value in values]
        lines.append(f"| **all pages** | {len(every)} | {percentile(every, 0.5):.1f} | {percentile(every, 0.95):.1f} | {max(every):.1f} |")
        report = "\n".join(lines) + "\n"
        print(report)
        with open(os.path.join(WORK, "portal-results.md"), "a") as handle:
            handle.write(report + "\n")
        if errors:
            print(f"{len(errors)} pages answered with an error, e.g.:\n" + "\n".join(errors[:5]))
            return 1
        return 0
    finally:
        stop_all()


if __name__ == "__main__":
    sys.exit(main())
