#!/usr/bin/env bash
# Failover under load (issue #19; not part of make test): a cluster of 2 providers and 2
# front-ends (Deploy/cluster.sh), a client binding and searching through both front-ends, another
# creating users and memberships through front-end 1 with the CLI. Each fault of FAULTS in turn,
# on the write provider (provider 1): it goes, comes back, the copies converge, and the run prints
# writes acknowledged and lost, identifiers duplicated, time to resume writes, bind/search errors,
# replication lag p50/p99 (before the fault and after the return), the time to converge (every
# entry equal on both providers, slapcat compared) and what a whole derivation then changes.
#   Benchmarks/failover.sh [BEFORE_S] [DOWN_S] [AFTER_S]
# Environment: BIN (folder of the annuaire binary, default .build/debug), WORK (default
# /tmp/annuaire-failover, emptied first), FRONTEND_PORT / PROVIDER_PORT (default 3501 / 3511),
# FAULTS (space-separated, in order; default "kill cut" as root, else "kill"):
#   kill    kill -9 of provider 1, then its restart;
#   cut     provider 1's network link goes down (NETNS=1: each provider in its network namespace;
#           packets dropped, no connection reset), then comes back up;
#   freeze  SIGSTOP then SIGCONT (a provider that stops answering without closing its connections).
set -euo pipefail
BEFORE=${1:-15}
DOWN=${2:-20}
AFTER=${3:-20}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export BIN=${BIN:-$ROOT/.build/debug}
export WORK=${WORK:-/tmp/annuaire-failover}
export FRONTEND_PORT=${FRONTEND_PORT:-3501} PROVIDER_PORT=${PROVIDER_PORT:-3511} RECONCILE_INTERVAL=${RECONCILE_INTERVAL:-5}
if [ "$(id -u)" = 0 ] && command -v ip >/dev/null; then FAULTS=${FAULTS:-kill cut}; else FAULTS=${FAULTS:-kill}; fi
case " $FAULTS " in *" cut "*) export NETNS=1 ;; esac
SUFFIX=dc=annuaire,dc=local
CLUSTER="$ROOT/Deploy/cluster.sh"
PROBE="$ROOT/Benchmarks/failover_probe.py"
FE1=ldap://127.0.0.1:$FRONTEND_PORT
FE2=ldap://127.0.0.1:$((FRONTEND_PORT + 1))
export ANNUAIRE_PASSWORD='Annuaire-Demo-2026' XDG_CONFIG_HOME=$WORK/cli
# The host's administrator reaches every provider over its ldapi socket (SASL EXTERNAL), even cut off.
ldapi_of() { echo "ldapi://$(printf %s "$WORK/p$1/run/ldapi" | sed 's,/,%2F,g')"; }
now() { date +%s.%N; }

[ -x "$BIN/annuaire" ] || { echo "no $BIN/annuaire: swift build first (or set BIN)" >&2; exit 1; }
"$CLUSTER" stop >/dev/null 2>&1 || true
rm -rf "$WORK"; mkdir -p "$WORK"
pids=()
cleanup() {
  touch "$WORK"/stop-*
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -f "$WORK/p1/run/slapd.pid" ] && kill -CONT "$(cat "$WORK/p1/run/slapd.pid")" 2>/dev/null || true
  "$CLUSTER" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
"$CLUSTER" start >"$WORK/cluster.log" 2>&1 || { cat "$WORK/cluster.log"; exit 1; }
echo "cluster up ($(grep -c '^provider .*: up' "$WORK/cluster.log") providers$([ "${NETNS:-0}" = 1 ] && echo ", each in its network namespace")); faults: $FAULTS; loadavg $(cut -d' ' -f1-3 /proc/loadavg)"

# A second group for the memberships, and the lag probe's entry.
"$BIN/annuaire" group create T1F --label "CDAP T1 failover" --responsible XXX0606XX01 --role CDAP/T1 -H "$FE1" -D XXX0606XX01 >/dev/null 2>&1
ldapadd -Q -Y EXTERNAL -H "$(ldapi_of 1)" >/dev/null <<EOF
dn: cn=replication-probe,ou=counters,$SUFFIX
objectClass: applicationProcess
cn: replication-probe
description: start
EOF
sleep 1

# The writer: users created (with their T1 membership) and attached to T1F, through front-end 1.
writer() {  # stopfile, out.csv, name prefix
  local n=0 start end out status id
  while [ ! -f "$1" ]; do
    n=$((n + 1))
    start=$(now)
    out=$("$BIN/annuaire" user create --last-name "$3$n" --first-name Test --mail "t$n.${3,,}@partenaires.fr" \
      --mail-confirmation "t$n.${3,,}@partenaires.fr" --group T1 --work-mode sedentary -H "$FE1" -D XXX0606XX01 2>&1) && status=0 || status=$?
    end=$(now)
    id=$(printf '%s' "$out" | sed -n 's/.*identifiant \([^ ]*\) .*/\1/p' | head -1)
    echo "$start,$end,create,$status,$id,$3$n" >>"$2"
    [ "$status" = 0 ] || { printf '%s\n' "$out" | tail -1 >>"$WORK/writer-errors.log"; continue; }
    start=$(now)
    "$BIN/annuaire" membership add "$id" --group T1F -H "$FE1" -D XXX0606XX01 >/dev/null 2>>"$WORK/writer-errors.log" && status=0 || status=$?
    echo "$start,$(now),membership,$status,$id,$3$n" >>"$2"
  done
}

# Every entry of a provider (slapcat; the suffix's contextCSN aside), each entry's lines sorted:
# a provider may list an entry's attributes in another order.
dump() {
  /usr/sbin/slapcat -n1 -F "$WORK/p$1/config" -o ldif-wrap=no 2>/dev/null | grep -v '^contextCSN:' |
    python3 -c 'import sys; print("\n\n".join("\n".join(sorted(e.splitlines())) for e in sys.stdin.read().split("\n\n") if e.strip()))'
}
percentiles() {  # file -> "p50 p99 n"
  grep -v 'timeout\|error' "$1" | cut -d, -f2 | sort -n | awk '{v[NR]=$1} END {if (NR==0) {print "- - 0"; exit}
    p50=v[int((NR-1)*0.5)+1]; p99=v[int((NR-1)*0.99)+1]; print p50, p99, NR}'
}

# A whole derivation on the converged directory: both front-ends stopped (the lease is given up),
# front-end 1 started again takes the lease and begins with a whole derivation, whose end it logs
# with the number of entries it changed. Prints that number (or "none" if none ended in 60 s).
whole_derivation() {
  local line="" fe2
  fe2=$(cat "$WORK/fe2/annuaire.pid" 2>/dev/null || true)
  if [ -n "$fe2" ]; then
    kill -TERM "$fe2" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$fe2" 2>/dev/null || break; sleep 0.1; done
  fi
  FRONTEND_LOG_LEVEL=info "$CLUSTER" restart-frontend 1 >/dev/null 2>&1
  for _ in $(seq 1 120); do
    line=$(sed -n 's/.*entriesChanged=\([0-9]*\).*whole derivation ended.*/\1/p' "$WORK/fe1/annuaire.log" | head -1)
    [ -n "$line" ] && break
    sleep 0.5
  done
  "$CLUSTER" restart-frontend 2 >/dev/null 2>&1 || true
  echo "${line:-none}"
}

run_fault() {  # kill | cut | freeze
  local fault=$1 stop="$WORK/stop-$1" prefix out="$WORK/$1"
  prefix="PANNE${1^^}"
  mkdir -p "$out"
  : >"$out/writer.csv"
  python3 "$PROBE" reader "$stop" "$out/reader.csv" "uid=XXX0606XX06,ou=people,$SUFFIX" "$ANNUAIRE_PASSWORD" "$FE1" "$FE2" &
  pids+=($!)
  writer "$stop" "$out/writer.csv" "$prefix" &
  pids+=($!)
  python3 "$PROBE" lag "$(ldapi_of 1)" "$(ldapi_of 2)" "cn=replication-probe,ou=counters,$SUFFIX" 30 "$out/lag-before.csv"
  sleep "$BEFORE"

  local p1pid fault_at back_at
  p1pid=$(cat "$WORK/p1/run/slapd.pid")
  fault_at=$(now)
  case "$fault" in
    kill) kill -9 "$p1pid"; echo "provider 1 killed (kill -9) at $(date -u +%T)" ;;
    cut) "$CLUSTER" cut-provider 1 >/dev/null; echo "provider 1 cut off the network at $(date -u +%T)" ;;
    freeze) kill -STOP "$p1pid"; echo "provider 1 frozen (SIGSTOP) at $(date -u +%T)" ;;
  esac
  sleep "$DOWN"
  back_at=$(now)
  case "$fault" in
    kill) "$CLUSTER" start-provider 1 >/dev/null ;;
    cut) "$CLUSTER" restore-provider 1 >/dev/null ;;
    freeze) kill -CONT "$p1pid" ;;
  esac
  echo "provider 1 back at $(date -u +%T)"
  python3 "$PROBE" lag "$(ldapi_of 2)" "$(ldapi_of 1)" "cn=replication-probe,ou=counters,$SUFFIX" 30 "$out/lag-after.csv"
  sleep "$AFTER"
  touch "$stop"
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()

  local converge_start converged=no converge_s
  converge_start=$(now)
  for _ in $(seq 1 120); do
    if [ "$(dump 1 | md5sum)" = "$(dump 2 | md5sum)" ]; then converged=yes; break; fi
    sleep 0.5
  done
  converge_s=$(echo "$(now) - $converge_start" | bc)
  dump 1 >"$out/p1.ldif"; dump 2 >"$out/p2.ldif"
  local csn1 csn2
  csn1=$(ldapsearch -Q -LLL -Y EXTERNAL -H "$(ldapi_of 1)" -b "$SUFFIX" -s base contextCSN | sed -n 's/^contextCSN: //p' | sort | tr '\n' ' ')
  csn2=$(ldapsearch -Q -LLL -Y EXTERNAL -H "$(ldapi_of 2)" -b "$SUFFIX" -s base contextCSN | sed -n 's/^contextCSN: //p' | sort | tr '\n' ' ')

  # Every acknowledged write present on both providers.
  local acknowledged=0 lost=0 kind status id filter base found
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
  done <"$out/writer.csv"
  local ids dup_ids dup_uidnumbers creates_ok creates_failed resume failed_during longest
  ids=$(awk -F, '$3=="create" && $4==0 {print $5}' "$WORK"/*/writer.csv)
  dup_ids=$(printf '%s\n' "$ids" | sort | uniq -d | grep -c . || true)
  dup_uidnumbers=$(ldapsearch -Q -LLL -o ldif-wrap=no -Y EXTERNAL -H "$(ldapi_of 1)" -b "ou=people,$SUFFIX" '(uidNumber=*)' uidNumber |
    sed -n 's/^uidNumber: //p' | sort | uniq -d | grep -c . || true)
  creates_ok=$(awk -F, '$3=="create" && $4==0' "$out/writer.csv" | wc -l)
  creates_failed=$(awk -F, '$3=="create" && $4!=0' "$out/writer.csv" | wc -l)
  # From the fault to the end of the first write acknowledged after it that also began after it.
  resume=$(awk -F, -v t="$fault_at" '$4==0 && $1>t {printf "%.1f\n", $2 - t; exit}' "$out/writer.csv")
  failed_during=$(awk -F, -v t="$fault_at" '$4!=0 && $2>=t' "$out/writer.csv" | wc -l)
  # The longest write that was in progress at the fault or began after it (a stall shows here).
  longest=$(awk -F, -v t="$fault_at" '$2>=t {d=$2-$1; if (d>m) m=d} END {printf "%.1f\n", m}' "$out/writer.csv")
  local reads_total reads_err reads_err_fault last_read_error lb50 lb99 lbn la50 la99 lan derivation switches
  reads_total=$(wc -l <"$out/reader.csv")
  reads_err=$(grep -c ',error,' "$out/reader.csv" || true)
  reads_err_fault=$(awk -F, -v a="$fault_at" -v b="$back_at" '$3=="error" && $1>=a-10 && $1<=b+5' "$out/reader.csv" | wc -l)
  last_read_error=$(awk -F, -v a="$fault_at" '$3=="error" && $1>=a-10 {t=$1} END {if (t) printf "%.1f\n", t - a; else print "none"}' "$out/reader.csv")
  read -r lb50 lb99 lbn <<<"$(percentiles "$out/lag-before.csv")"
  read -r la50 la99 lan <<<"$(percentiles "$out/lag-after.csv")"
  switches="$(cat "$WORK"/fe*/annuaire.log | grep -c "failing over" || true) / $(cat "$WORK"/fe*/annuaire.log | grep -c "failing back" || true)"
  derivation=$(whole_derivation)

  cat <<EOF

### Failover run: $fault of the write provider — $(date -u +%FT%TZ), $(nproc) cores, loadavg $(cut -d' ' -f1-3 /proc/loadavg)

| measure | value |
|---|---|
| writes acknowledged (creates + memberships) | $acknowledged |
| **writes lost** (acknowledged, missing on a provider) | **$lost** |
| **identifiers duplicated** (same identifier twice / same uidNumber twice, whole run so far) | **$dup_ids / $dup_uidnumbers** |
| user creations: succeeded / refused or failed | $creates_ok / $creates_failed |
| **time to resume writes** after the fault (first write begun after it, acknowledged) | **${resume:-never} s** |
| writes failed from the fault on (answered 52/busy, none replayed) | $failed_during |
| longest write from the fault on (CLI call, seconds) | $longest |
| binds+searches: total / errors / errors around the fault | $reads_total / $reads_err / $reads_err_fault |
| last bind/search error, seconds after the fault | $last_read_error |
| replication lag provider 1 → 2 before the fault: p50 / p99 (n) | $lb50 / $lb99 ms ($lbn) |
| replication lag provider 2 → 1 after the return: p50 / p99 (n) | $la50 / $la99 ms ($lan) |
| converged (every entry equal, slapcat) | $converged, ${converge_s} s after the load stopped |
| contextCSN provider 1 / 2 | $csn1 / $csn2 |
| front-ends' failovers / failbacks logged (this fault) | $switches |
| **whole derivation after convergence: entries changed** | **$derivation** |
EOF
}

for fault in $FAULTS; do
  case "$fault" in kill | cut | freeze) run_fault "$fault" ;; *) echo "unknown fault $fault (kill, cut, freeze)" >&2; exit 2 ;; esac
done
