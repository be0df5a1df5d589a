#!/usr/bin/env bash
# Annuaire side by side with its slapd, on a generated directory of USERS users.
#   Benchmarks/side-by-side.sh USERS [DURATION_S] [SCENARIOS]
# Environment: BIN (folder of annuaire and annuaire-bench, default .build-bench/release),
# PROXY (1, the default: slapd's own proxy, back-ldap, in front of the same slapd as a third side,
# on PPORT; 0: only Annuaire and slapd), ANNUAIRE_ARGS (more `annuaire serve` options, e.g. --no-fast-path),
# WORK (scratch folder, default /tmp/annuaire-bench-USERS), APORT/SPORT (loopback ports),
# OUT (markdown file the table is appended to), OPEN_CONNECTIONS (idle bound connections
# opened at the end to read the memory, default 1000; 0 to skip), MAX_OPS (per scenario and side),
# PERF_OUT (if set: `perf record -g` of the Annuaire process during the first scenario's
# Annuaire side, written there; read it with `perf report -i PERF_OUT --no-children`).
set -euo pipefail
USERS=${1:-10000}
DURATION=${2:-5}
SCENARIOS=${3:-search1,search16,bind16,connect4,paged4,argon2,membership1}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$ROOT/.build-bench/release}
WORK=${WORK:-/tmp/annuaire-bench-$USERS}
APORT=${APORT:-13389}
SPORT=${SPORT:-13390}
PPORT=${PPORT:-13391}
PROXY=${PROXY:-1}
OUT=${OUT:-$WORK/results.md}
OPEN_CONNECTIONS=${OPEN_CONNECTIONS:-1000}
MAX_OPS=${MAX_OPS:-100000000}
DATA=$WORK/data

pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

wait_port() {  # port, pid, what
  for _ in $(seq 1 600); do
    if (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; then return 0; fi
    kill -0 "$2" 2>/dev/null || { echo "$3 exited during start-up" >&2; return 1; }
    sleep 0.1
  done
  echo "$3 did not open port $1" >&2; return 1
}
now() { date +%s.%N; }

rm -rf "$WORK"; mkdir -p "$WORK"
cd "$ROOT"   # annuaire finds Schema/ from here

# 1. A first start writes slapd's cn=config and the base tree into an empty folder; stop it.
"$BIN/annuaire" serve --data-dir "$DATA" --listen 127.0.0.1:"$APORT" --ldaps none --log-level warning >"$WORK/init.log" 2>&1 &
pid=$!; pids+=("$pid")
wait_port "$APORT" "$pid" annuaire
kill -TERM "$pid"; wait "$pid" || true

# 2. The directory's content, loaded offline.
t0=$(now)
"$BIN/annuaire-bench" generate --users "$USERS" --out "$WORK/data.ldif"
t1=$(now)
/usr/sbin/slapadd -q -n1 -F "$DATA/config" -l "$WORK/data.ldif"
t2=$(now)
entries=$(grep -c '^dn: ' "$WORK/data.ldif")
load="LDIF generation $(echo "$t1 - $t0" | bc) s; slapadd -q of $entries entries $(echo "$t2 - $t1" | bc) s; db $(du -sh "$DATA/db" | cut -f1)"
echo "$load"

# 3. slapd on its ldapi socket (as Annuaire runs it) plus a loopback TCP port for the run.
LDAPI="ldapi://$(printf %s "$DATA/run/ldapi" | sed 's,/,%2F,g')"
/usr/sbin/slapd -d 0 -F "$DATA/config" -h "$LDAPI ldap://127.0.0.1:$SPORT" >"$WORK/slapd.log" 2>&1 &
slapd=$!; pids+=("$slapd")
wait_port "$SPORT" "$slapd" slapd

# 3b. slapd's own proxy: a second slapd whose only database is back-ldap in front of the same
# slapd (SASL EXTERNAL over its ldapi socket, the identity Annuaire has; clients' binds are
# passed on, their searches run as the proxy's identity: mode=none flags=override, for every
# client: idassert-authzFrom "*"). Its
# cn=config is the first one's (same schema) with the mdb database replaced.
proxy_args=()
if [ "$PROXY" = 1 ]; then
  mkdir -p "$WORK/proxy/config" "$WORK/proxy/run"
  /usr/sbin/slapcat -n0 -F "$DATA/config" -l "$WORK/proxy/main-config.ldif"
  python3 - "$WORK/proxy/main-config.ldif" "$WORK/proxy/config.ldif" "$WORK/proxy/run" "$LDAPI" <<'PY'
import re, sys
source, target, run, uri = sys.argv[1:5]
text = open(source).read().replace("\n ", "")          # unfold LDIF continuation lines
records = [r for r in text.strip().split("\n\n") if r.strip()]
out, suffix = [], None
for record in records:
    lines = record.split("\n")
    dn = lines[0][4:] if lines[0].startswith("dn: ") else ""
    if re.match(r"olcOverlay=.*,olcDatabase=\{1\}mdb,cn=config$", dn):
        continue
    if dn == "olcDatabase={1}mdb,cn=config":
        suffix = next(l[len("olcSuffix: "):] for l in lines if l.startswith("olcSuffix: "))
        continue
    if dn == "cn=config":
        lines = [l for l in lines if not l.startswith(("olcPidFile:", "olcArgsFile:", "olcTLS"))]
        lines += ["olcPidFile: " + run + "/slapd.pid", "olcArgsFile: " + run + "/slapd.args"]
    if dn == "cn=module{0},cn=config":
        loaded = sum(1 for l in lines if l.startswith("olcModuleLoad:"))
        lines = lines + ["olcModuleLoad: {%d}back_ldap" % loaded]
    out.append("\n".join(lines))
out.append("\n".join([
    "dn: olcDatabase={1}ldap,cn=config", "objectClass: olcDatabaseConfig", "objectClass: olcLDAPConfig",
    "olcDatabase: {1}ldap", "olcSuffix: " + suffix, 'olcDbURI: "' + uri + '"',
    "olcDbIDAssertBind: bindmethod=sasl saslmech=EXTERNAL mode=none flags=override",
    "olcDbIDAssertAuthzFrom: *",
    "olcAccess: {0}to * by * read"]))
open(target, "w").write("\n\n".join(out) + "\n")
PY
  /usr/sbin/slapadd -n0 -F "$WORK/proxy/config" -l "$WORK/proxy/config.ldif" >"$WORK/proxy/slapadd.log" 2>&1
  /usr/sbin/slapd -d 0 -F "$WORK/proxy/config" -h "ldap://127.0.0.1:$PPORT" >"$WORK/proxy/slapd.log" 2>&1 &
  proxy=$!; pids+=("$proxy")
  wait_port "$PPORT" "$proxy" "back-ldap proxy"
  proxy_args=(--proxy "ldap://127.0.0.1:$PPORT" --proxy-pid "$proxy")
fi

# 4. Annuaire in front of that slapd (--backend ldapi: SASL EXTERNAL, the embedded mode's endpoint).
"$BIN/annuaire" serve --backend "$LDAPI" --data-dir "$WORK/annuaire-state" --listen 127.0.0.1:"$APORT" --ldaps none \
  --log-level warning --reconcile-interval 3600 ${ANNUAIRE_ARGS:-} >"$WORK/annuaire.log" 2>&1 &
annuaire=$!; pids+=("$annuaire")
wait_port "$APORT" "$annuaire" annuaire
# let the start-up reconciliation finish: wait until Annuaire's CPU time stops moving
prev=-1
for _ in $(seq 1 300); do
  cur=$(awk '{print $14+$15}' /proc/$annuaire/stat)
  [ "$cur" = "$prev" ] && break
  prev=$cur; sleep 0.5
done

{
  echo "### $USERS users — $(date -u +%FT%TZ), $(nproc) cores, loadavg before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "$load"
  echo
} >>"$OUT"
if [ -n "${PERF_OUT:-}" ]; then
  perf record -F 1999 -e cpu-clock -g -p "$annuaire" -o "$PERF_OUT" -- sleep "$DURATION" >"$WORK/perf.log" 2>&1 &
  sleep 0.2
fi
"$BIN/annuaire-bench" run --users "$USERS" --duration "$DURATION" --max-ops "$MAX_OPS" --scenarios "$SCENARIOS" \
  --annuaire "ldap://127.0.0.1:$APORT" --annuaire-pid "$annuaire" \
  --slapd "ldap://127.0.0.1:$SPORT" --slapd-ldapi "$LDAPI" --slapd-pid "$slapd" \
  "${proxy_args[@]}" \
  --open-connections "$OPEN_CONNECTIONS" --markdown "$OUT" --label "$USERS users"
echo "results appended to $OUT"
