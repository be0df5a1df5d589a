#!/usr/bin/env bash
# CPU time and context switches per operation, of Annuaire and of slapd, for one
# scenario: figures that depend little on what else the machine is doing (unlike
# ops/s), read from /proc/PID/stat (utime+stime) and /proc/PID/task/*/status.
#   Benchmarks/per-op-cost.sh SCENARIO OPERATIONS [annuaire|slapd] [USERS]
# Needs the data folder of an earlier `Benchmarks/side-by-side.sh USERS` run
# (WORK, default /tmp/annuaire-bench-USERS). PERF=FILE also records
# `perf record -g` of the Annuaire process for 6 s into FILE. ANNUAIRE_ARGS: more `annuaire serve`
# options (--no-fast-path: the libldap pools, the path before issue #18). BACKGROUND=SCENARIO
# runs that scenario through Annuaire meanwhile (e.g. BACKGROUND=search16 for writes under a read
# load); the figures then include its operations' CPU, only the latency columns are the scenario's.
# BACKGROUND_SECONDS (default 600) bounds it; if it ends before the scenario, its own row is printed.
set -euo pipefail
SCENARIO=$1; OPS=$2; TARGET=${3:-annuaire}; USERS=${4:-10000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$ROOT/.build-bench/release}
WORK=${WORK:-/tmp/annuaire-bench-$USERS}
DATA=$WORK/data
APORT=${APORT:-13489}; SPORT=${SPORT:-13490}
[ -d "$DATA/config" ] || { echo "no $DATA: run Benchmarks/side-by-side.sh $USERS first" >&2; exit 1; }
LDAPI="ldapi://$(printf %s "$DATA/run/ldapi" | sed 's,/,%2F,g')"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT
wait_port() { for _ in $(seq 1 300); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
cd "$ROOT"
/usr/sbin/slapd -d 0 -F "$DATA/config" -h "$LDAPI ldap://127.0.0.1:$SPORT" >"$WORK/cost-slapd.log" 2>&1 & S=$!; pids+=("$S")
wait_port "$SPORT"
"$BIN/annuaire" serve --backend "$LDAPI" --data-dir "$WORK/cost-state" --listen 127.0.0.1:"$APORT" --ldaps none \
  --log-level warning --reconcile-interval 3600 ${ANNUAIRE_ARGS:-} >"$WORK/cost-annuaire.log" 2>&1 & A=$!; pids+=("$A")
wait_port "$APORT"
prev=-1; for _ in $(seq 1 300); do cur=$(awk '{print $14+$15}' /proc/$A/stat); [ "$cur" = "$prev" ] && break; prev=$cur; sleep 0.5; done
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
ctx() { cat /proc/$1/task/*/status | awk '/ctxt_switches/ {s+=$2} END {print s}'; }
a0=$(cpu $A); s0=$(cpu $S); c0=$(ctx $A); d0=$(ctx $S)
if [ -n "${BACKGROUND:-}" ]; then
  "$BIN/annuaire-bench" run --users "$USERS" --duration "${BACKGROUND_SECONDS:-600}" --scenarios "$BACKGROUND" \
    --annuaire "ldap://127.0.0.1:$APORT" >"$WORK/cost-background.txt" 2>&1 & B=$!; pids+=("$B")
  sleep 2
fi
if [ -n "${PERF:-}" ]; then perf record -F 2999 -e cpu-clock -g -p "$A" -o "$PERF" -- sleep 6 >/dev/null 2>&1 & fi
if [ "$TARGET" = annuaire ]; then
  "$BIN/annuaire-bench" run --users "$USERS" --duration 120 --max-ops "$OPS" --scenarios "$SCENARIO" --annuaire "ldap://127.0.0.1:$APORT" | grep '^| '
else
  "$BIN/annuaire-bench" run --users "$USERS" --duration 120 --max-ops "$OPS" --scenarios "$SCENARIO" --slapd "ldap://127.0.0.1:$SPORT" --slapd-ldapi "$LDAPI" | grep '^| '
fi
a1=$(cpu $A); s1=$(cpu $S); c1=$(ctx $A); d1=$(ctx $S)
if [ -n "${BACKGROUND:-}" ] && ! kill -0 "$B" 2>/dev/null; then
  echo "background, meanwhile:"; grep '^| ' "$WORK/cost-background.txt" | tail -1
fi
tck=$(getconf CLK_TCK)
echo "$SCENARIO through $TARGET, $OPS operations, per operation: Annuaire CPU $(( (a1-a0)*1000000/tck/OPS )) µs, $(echo "scale=2; ($c1-$c0)/$OPS" | bc) context switches; slapd CPU $(( (s1-s0)*1000000/tck/OPS )) µs, $(echo "scale=2; ($d1-$d0)/$OPS" | bc) context switches"
