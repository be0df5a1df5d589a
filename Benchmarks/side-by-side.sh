#!/usr/bin/env bash
# Annuaire side by side with its slapd, on a generated directory of USERS users.
#   Benchmarks/side-by-side.sh USERS [DURATION_S] [SCENARIOS]
# Environment: BIN (folder of annuaire and annuaire-bench, default .build-bench/release),
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

# 4. Annuaire in front of that slapd (--backend ldapi: SASL EXTERNAL, the embedded mode's endpoint).
"$BIN/annuaire" serve --backend "$LDAPI" --data-dir "$WORK/annuaire-state" --listen 127.0.0.1:"$APORT" --ldaps none \
  --log-level warning --reconcile-interval 3600 >"$WORK/annuaire.log" 2>&1 &
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
  --open-connections "$OPEN_CONNECTIONS" --markdown "$OUT" --label "$USERS users"
echo "results appended to $OUT"
