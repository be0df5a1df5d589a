#!/usr/bin/env python3
"""NSS through nslcd (nss-pam-ldapd) against Annuaire, inside a private mount
namespace so that nothing reaches the host: run it as root under
`unshare --mount` (private propagation). It bind-mounts WORK/nsswitch.conf
over /etc/nsswitch.conf, WORK/nslcd.conf over /etc/nslcd.conf and WORK/run
over /run (for /run/nslcd/socket), starts `nslcd -d`, then asks glibc, as any
program would: getent passwd NAME, id NAME, getent passwd (enumeration).

Environment: WORK (a folder holding nsswitch.conf and nslcd.conf),
NAMES (space-separated identifiers to look up).
Prints one JSON object; exits 0 unless this program broke.
"""
import json
import os
import subprocess
import sys
import time


def run(*args):
    done = subprocess.run(list(args), capture_output=True, text=True, timeout=60)
    return {"status": done.returncode, "output": done.stdout.strip(), "error": done.stderr.strip()}


def main():
    work = os.environ["WORK"]
    report = {}
    # Private mounts only: fail loudly if the namespace is not private.
    if run("findmnt", "-o", "PROPAGATION", "-n", "/")["output"] not in ("private", ""):
        report["error"] = "the root mount is shared: run under `unshare --mount` (private propagation)"
        print(json.dumps(report))
        return 0
    os.makedirs(os.path.join(work, "run", "nslcd"), exist_ok=True)
    for source, target in [("nsswitch.conf", "/etc/nsswitch.conf"), ("nslcd.conf", "/etc/nslcd.conf"), ("run", "/run")]:
        mounted = run("mount", "--bind", os.path.join(work, source), target)
        if mounted["status"] != 0:
            report["error"] = f"mount --bind {source} {target}: {mounted['error']}"
            print(json.dumps(report))
            return 0

    log = open(os.path.join(work, "nslcd.log"), "w")
    nslcd = subprocess.Popen(["/usr/sbin/nslcd", "-d"], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 15
        while not os.path.exists("/run/nslcd/socket") and time.time() < deadline and nslcd.poll() is None:
            time.sleep(0.1)
        report["nslcd_started"] = os.path.exists("/run/nslcd/socket")
        report["lookups"] = {}
        for name in os.environ["NAMES"].split():
            report["lookups"][name] = {"getent": run("getent", "passwd", name), "id": run("id", name)}
        enumeration = run("getent", "passwd")
        report["enumeration"] = {"status": enumeration["status"], "lines": enumeration["output"].splitlines()}
    finally:
        nslcd.terminate()
        try:
            nslcd.wait(timeout=10)
        except subprocess.TimeoutExpired:
            nslcd.kill()
        log.close()
    print(json.dumps(report, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
