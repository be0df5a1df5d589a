#!/usr/bin/env bash
# Failover under load (issue #19; not part of make test): a cluster of 2 providers and 2
# front-ends (Deploy/cluster.sh), a client binding and searching through both front-ends, another
# creating users and memberships through front-end 1 with the CLI; kill -9 of the write provider
# (provider 1), then its restart. Prints: writes acknowledged and lost, identifiers duplicated,
# time to resume writes, bind/search errors, replication lag p50/p99 (before the fault and after
# the return), the time to converge (every entry equal on both providers, slapcat compared).
#   Benchmarks/failover.sh [BEFORE_S] [DOWN_S] [AFTER_S]
# Environment: BIN (folder of the annuaire binary, default .build/debug), WORK (default
# /tmp/annuaire-failover, emptied first), FRONTEND_PORT / PROVIDER_PORT (default 3501 / 3511),
# FAULT (kill: kill -9, the default; freeze: SIGSTOP then SIGCONT, a provider that stops
# answering without closing its connections, as behind a network cut).
set -euo pipefail
BEFORE=${1:-15}
DOWN=${2:-20}
AFTER=${3:-20}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export BIN=${BIN:-$ROOT/.build/debug}
export WORK=${WORK:-/tmp/annuaire-failover}
export FRONTEND_PORT=${FRONTEND_PORT:-3501} PROVIDER_PORT=${PROVIDER_PORT:-3511} RECONCILE_INTERVAL=${RECONCILE_INTERVAL:-5}
FAULT=${FAULT:-kill}
SUFFIX=dc=annuaire,dc=local
CLUSTER="$ROOT/Deploy/cluster.sh"
PROBE="$ROOT/Benchmarks/failover_probe.py"
FE1=ldap://127.0.0.1:$FRONTEND_PORT
FE2=ldap://127.0.0.1:$((FRONTEND_PORT + 1))
export ANNUAIRE_PASSWORD='Annuaire-Demo-2026' XDG_CONFIG_HOME=$WORK/cli
ldapi_of() { echo "ldapi://$(printf %s "$WORK/p$1/run/ldapi" | sed 's,/,%2F,g')"; }
now() { date +%s.%N; }

[ -x "$BIN/annuaire" ] || { echo "no $BIN/annuaire: swift build first (or set BIN)" >&2; exit 1; }
"$CLUSTER" stop >/dev/null 2>&1 || true
rm -rf "$WORK"; mkdir -p "$WORK"
pids=()
cleanup() {
  touch "$WORK/stop"
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -f "$WORK/p1/run/slapd.pid" ] && kill -CONT "$(cat "$WORK/p1/run/slapd.pid")" 2>/dev/null || true
  "$CLUSTER" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
"$CLUSTER" start >"$WORK/cluster.log" 2>&1 || { cat "$WORK/cluster.log"; exit 1; }
echo "cluster up ($(grep -c '^provider .*: up' "$WORK/cluster.log") providers); loadavg $(cut -d' ' -f1-3 /proc/loadavg)"

# A second group for the memberships, and the lag probe's entry.
"$BIN/annuaire" group create T1F --label "CDAP T1 failover" --responsible XXX0606XX01 --role CDAP/T1 -H "$FE1" -D XXX0606XX01 >/dev/null 2>&1
ldapadd -Q -Y EXTERNAL -H "$(ldapi_of 1)" >/dev/null <<EOF
dn: cn=replication-probe,ou=counters,$SUFFIX
objectClass: applicationProcess
cn: replication-probe
description: start
EOF
sleep 1

# The reader: bind + search as DUPUIS Martin, alternately through both front-ends.
python3 "$PROBE" reader "$WORK/stop" "$WORK/reader.csv" "uid=XXX0606XX06,ou=people,$SUFFIX" "$ANNUAIRE_PASSWORD" "$FE1" "$FE2" &
pids+=($!)

# The writer: users created (with their T1 membership) and attached to T1F, through front-end 1.
writer() {
  local n=0 start end out status id
  while [ ! -f "$WORK/stop" ]; do
    n=$((n + 1))
    start=$(now)
    out=$("$BIN/annuaire" user create --last-name "PANNE$n" --first-name Test --mail "t$n.panne@partenaires.fr" \
      --mail-confirmation "t$n.panne@partenaires.fr" --group T1 --work-mode sedentary -H "$FE1" -D XXX0606XX01 2>&1) && status=0 || status=$?
    end=$(now)
    id=$(printf '%s' "$out" | sed -n 's/.*identifiant \([^ ]*\) .*/\1/p' | head -1)
    echo "$start,$end,create,$status,$id,PANNE$n" >>"$WORK/writer.csv"
    [ "$status" = 0 ] || { printf '%s\n' "$out" | tail -1 >>"$WORK/writer-errors.log"; continue; }
    start=$(now)
    "$BIN/annuaire" membership add "$id" --group T1F -H "$FE1" -D XXX0606XX01 >/dev/null 2>>"$WORK/writer-errors.log" && status=0 || status=$?
    echo "$start,$(now),membership,$status,$id,PANNE$n" >>"$WORK/writer.csv"
  done
}
writer &
pids+=($!)

python3 "$PROBE" lag "$(ldapi_of 1)" "$(ldapi_of 2)" "cn=replication-probe,ou=counters,$SUFFIX" 30 "$WORK/lag-before.csv"
sleep "$BEFORE"

P1PID=$(cat "$WORK/p1/run/slapd.pid")
fault_at=$(now)
if [ "$FAULT" = freeze ]; then
  kill -STOP "$P1PID"; echo "provider 1 frozen (SIGSTOP) at $(date -u +%T)"
else
  kill -9 "$P1PID"; echo "provider 1 killed (kill -9) at $(date -u +%T)"
fi
sleep "$DOWN"
back_at=$(now)
if [ "$FAULT" = freeze ]; then
  kill -CONT "$P1PID"
else
  "$CLUSTER" start-provider 1 >/dev/null
fi
echo "provider 1 back at $(date -u +%T)"
python3 "$PROBE" lag "$(ldapi_of 2)" "$(ldapi_of 1)" "cn=replication-probe,ou=counters,$SUFFIX" 30 "$WORK/lag-after.csv"
sleep "$AFTER"
touch "$WORK/stop"
for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
pids=()

# Convergence: every entry equal on both providers (slapcat; the suffix's contextCSN aside).
# Each entry's lines sorted: a provider may list an entry's attributes in another order.
dump() {
  /usr/sbin/slapcat -n1 -F "$WORK/p$1/config" -o ldif-wrap=no 2>/dev/null | grep -v '^contextCSN:' |
    python3 -c 'import sys; print("\n\n".join("\n".join(sorted(e.splitlines())) for e in sys.stdin.read().split("\n\n") if e.strip()))'
}
converge_start=$(now); converged=no
for _ in $(seq 1 120); do
  if [ "$(dump 1 | md5sum)" = "$(dump 2 | md5sum)" ]; then converged=yes; break; fi
  sleep 0.5
done
converge_s=$(echo "$(now) - $converge_start" | bc)
dump 1 >"$WORK/p1.ldif"; dump 2 >"$WORK/p2.ldif"
csn1=$(ldapsearch -Q -LLL -Y EXTERNAL -H "$(ldapi_of 1)" -b "$SUFFIX" -s base contextCSN | sed -n 's/^contextCSN: //p' | sort | tr '\n' ' ')
csn2=$(ldapsearch -Q -LLL -Y EXTERNAL -H "$(ldapi_of 2)" -b "$SUFFIX" -s base contextCSN | sed -n 's/^contextCSN: //p' | sort | tr '\n' ' ')

# Every acknowledged write present on both providers.
acknowledged=0; lost=0
while IFS=, read -r _ _ kind status id _; do
  [ "$status" = 0 ] || continue
  acknowledged=$((acknowledged + 1))
  for p in 1 2; do
    if [ "$kind" = create ]; then
      filter="(uid=$id)"; base="ou=people,$SUFFIX"
    else
      filter="(annMemberUid=$id)"; base="cn=T1F,cn=CONV-0606-001,cn=PART0606,ou=partners,$SUFFIX"
    fi
    found=$(ldapsearch -Q -LLL -Y EXTERNAL -H "$(ldapi_of "$p")" -b "$base" "$filter" 1.1 | grep -c '^dn:' || true)
    [ "$found" -ge 1 ] || { lost=$((lost + 1)); echo "lost on provider $p: $kind $id" >&2; }
  done
done <"$WORK/writer.csv"
ids=$(awk -F, '$3=="create" && $4==0 {print $5}' "$WORK/writer.csv")
dup_ids=$(printf '%s\n' "$ids" | sort | uniq -d | grep -c . || true)
dup_uidnumbers=$(ldapsearch -Q -LLL -o ldif-wrap=no -Y EXTERNAL -H "$(ldapi_of 1)" -b "ou=people,$SUFFIX" '(uidNumber=*)' uidNumber |
  sed -n 's/^uidNumber: //p' | sort | uniq -d | grep -c . || true)
creates_ok=$(awk -F, '$3=="create" && $4==0' "$WORK/writer.csv" | wc -l)
creates_failed=$(awk -F, '$3=="create" && $4!=0' "$WORK/writer.csv" | wc -l)
resume=$(awk -F, -v t="$fault_at" '$4==0 && $2>t {print $2 - t; exit}' "$WORK/writer.csv")
failed_during=$(awk -F, -v t="$fault_at" '$4!=0 && $2>=t' "$WORK/writer.csv" | wc -l)
reads_total=$(wc -l <"$WORK/reader.csv")
reads_err=$(grep -c ',error,' "$WORK/reader.csv" || true)
reads_err_fault=$(awk -F, -v a="$fault_at" -v b="$back_at" '$3=="error" && $1>=a-10 && $1<=b+5' "$WORK/reader.csv" | wc -l)
last_read_error=$(awk -F, -v a="$fault_at" '$3=="error" && $1>=a-10 {t=$1} END {if (t) print t - a; else print "none"}' "$WORK/reader.csv")
percentiles() {  # file -> "p50 p99 n"
  grep -v 'timeout\|error' "$1" | cut -d, -f2 | sort -n | awk '{v[NR]=$1} END {if (NR==0) {print "- - 0"; exit}
    p50=v[int((NR-1)*0.5)+1]; p99=v[int((NR-1)*0.99)+1]; print p50, p99, NR}'
}
read -r lb50 lb99 lbn <<<"$(percentiles "$WORK/lag-before.csv")"
read -r la50 la99 lan <<<"$(percentiles "$WORK/lag-after.csv")"
derivation=$( (grep -h "reconciled materialised state" "$WORK"/fe*/annuaire.log || true) | tail -3 | tr '\n' ' ')
failovers=$(cat "$WORK"/fe*/annuaire.log | grep -c "failing over" || true)
failbacks=$(cat "$WORK"/fe*/annuaire.log | grep -c "failing back" || true)

cat <<EOF

### Failover run ($FAULT of the write provider) — $(date -u +%FT%TZ), $(nproc) cores, loadavg $(cut -d' ' -f1-3 /proc/loadavg)

| measure | value |
|---|---|
| writes acknowledged (creates + memberships) | $acknowledged |
| **writes lost** (acknowledged, missing on a provider) | **$lost** |
| **identifiers duplicated** (same identifier twice / same uidNumber twice) | **$dup_ids / $dup_uidnumbers** |
| user creations: succeeded / refused or failed | $creates_ok / $creates_failed |
| **time to resume writes** after the fault (first write acknowledged) | **${resume:-never} s** |
| writes failed from the fault on (answered 52/busy, none replayed) | $failed_during |
| binds+searches: total / errors / errors around the fault | $reads_total / $reads_err / $reads_err_fault |
| last bind/search error, seconds after the fault | $last_read_error |
| replication lag provider 1 → 2 before the fault: p50 / p99 (n) | $lb50 / $lb99 ms ($lbn) |
| replication lag provider 2 → 1 after the return: p50 / p99 (n) | $la50 / $la99 ms ($lan) |
| converged (every entry equal, slapcat) | $converged, ${converge_s} s after the load stopped |
| contextCSN provider 1 / 2 | $csn1 / $csn2 |
| front-ends' failovers / failbacks logged | $failovers / $failbacks |
| last derivation changes logged | ${derivation:-none} |
EOF
