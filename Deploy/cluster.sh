#!/usr/bin/env bash
# Annuaire on several machines, on this one: OpenLDAP providers in multi-provider replication
# (serverID 1..N, syncprov, syncrepl refreshAndPersist) and stateless Annuaire
# front-ends in front of them, each given the same ordered --backend list.
#
#   Deploy/cluster.sh start     initialise (first time) and start everything, print how to try it
#   Deploy/cluster.sh stop      stop everything this script started (front-ends first)
#   Deploy/cluster.sh status    what runs, and whether the providers' contextCSN are equal
#   Deploy/cluster.sh kill-provider N | start-provider N    for fault drills (kill -9, restart)
#   Deploy/cluster.sh cut-provider N | restore-provider N   (NETNS=1) cut a provider's network link, restore it
#   Deploy/cluster.sh restart-frontend N                    stop front-end N gracefully and start it again
#
# Environment: WORK (folder of everything, default /tmp/annuaire-cluster), BIN (folder of the
# annuaire binary, default .build/debug), PROVIDERS (2 or 3), FRONTENDS (1..4), FRONTEND_PORT
# (first front-end's LDAP port, default 3401; the next ones follow), PROVIDER_PORT (first
# provider's loopback LDAP port, default 3411), RECONCILE_INTERVAL (seconds, default 60),
# REVERSED_FRONTENDS (front-end numbers, e.g. "2", given the list in reverse order: two write
# providers at once, as when a partition hides provider 1 from some front-ends; for drills and tests),
# SYNC (plain, the default: syncrepl of whole entries; delta: delta-syncrepl over accesslog, see below),
# NETNS (1: each provider is a host of its own, see below; remembered in WORK, root only),
# FRONTEND_LOG_LEVEL (default notice).
#
# The providers replicate over their ldapi sockets with SASL EXTERNAL (the peer credentials of
# the process owner, slapd's rootdn: no password anywhere). Between hosts, replace the
# provider= URIs by ldaps:// ones and bindmethod=sasl by a replication account (README,
# "Several machines").
#
# NETNS=1: each provider runs in a network namespace of its own (ann-<tag>-pN), linked by a veth
# pair to a bridge on the host (ann<tag>br, 10.231.X.1/24; provider N is 10.231.X.(10+N)), so
# it can be cut off from the network (`cut-provider N`: its link goes down, packets are dropped,
# no connection is reset) instead of killed. The providers then replicate, and the front-ends
# reach them, over TCP with a simple bind as the data database's rootdn
# (cn=cluster-admin,<suffix>; its password is made at initialisation in WORK/secret, mode 0600,
# and slapd keeps only its salted hash, plus the syncrepl credentials in its cn=config, which only
# root reads). The host's administrator keeps its SASL EXTERNAL access over each provider's ldapi
# socket (a file: a network cut does not reach it), so status and the checks work during a cut.
# `stop` removes the namespaces, the veth pairs and the bridge; a `start` that fails does too.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-/tmp/annuaire-cluster}
BIN=${BIN:-$ROOT/.build/debug}
PROVIDERS=${PROVIDERS:-2}
FRONTENDS=${FRONTENDS:-2}
FRONTEND_PORT=${FRONTEND_PORT:-3401}
PROVIDER_PORT=${PROVIDER_PORT:-3411}
RECONCILE_INTERVAL=${RECONCILE_INTERVAL:-60}
REVERSED_FRONTENDS=${REVERSED_FRONTENDS:-}
SYNC=${SYNC:-plain}
NETNS=${NETNS:-0}
FRONTEND_LOG_LEVEL=${FRONTEND_LOG_LEVEL:-notice}
SUFFIX=dc=annuaire,dc=local
SLAPD=${SLAPD:-/usr/sbin/slapd}
SLAPADD=${SLAPADD:-/usr/sbin/slapadd}
SLAPCAT=${SLAPCAT:-/usr/sbin/slapcat}

die() { echo "cluster: $*" >&2; exit 1; }
[ "$PROVIDERS" -ge 2 ] && [ "$PROVIDERS" -le 3 ] || die "PROVIDERS must be 2 or 3"
[ "$FRONTENDS" -ge 1 ] && [ "$FRONTENDS" -le 4 ] || die "FRONTENDS must be 1 to 4"
[ "$SYNC" = plain ] || [ "$SYNC" = delta ] || die "SYNC must be plain or delta"
ADMIN_DN="cn=cluster-admin,$SUFFIX"
PEERCRED_DN="gidNumber=$(id -g)+uidNumber=$(id -u),cn=peercred,cn=external,cn=auth"

# --- Network namespaces (NETNS=1) ---------------------------------------------------------------
# WORK/network records the mode at initialisation: tag (names) and net (the /24's first three
# octets). A WORK without it runs on loopback.
TAG="" NET=""
if [ -f "$WORK/network" ]; then
  TAG=$(sed -n 's/^tag=//p' "$WORK/network"); NET=$(sed -n 's/^net=//p' "$WORK/network")
fi
netns_mode() { [ -n "$TAG" ]; }
ns_of() { echo "ann-$TAG-p$1"; }
veth_of() { echo "ann${TAG}p$1"; }
bridge_of() { echo "ann${TAG}br"; }
provider_ip() { echo "$NET.$((10 + $1))"; }

choose_network() {  # first use of a WORK with NETNS=1: a tag from WORK's path, a free /24
  local octet n
  [ "$(id -u)" = 0 ] || die "NETNS=1 needs root (ip netns)"
  command -v ip >/dev/null || die "NETNS=1 needs iproute2 (apt-get install iproute2)"
  TAG=$(printf %s "$WORK" | md5sum | cut -c1-6)
  octet=$((16 + 0x${TAG:0:4} % 224))
  for n in $(seq 0 223); do
    NET="10.231.$(( (octet - 16 + n) % 224 + 16 ))"
    ip -o addr show | grep -q " $NET\." || break
  done
  mkdir -p "$WORK"
  printf 'tag=%s\nnet=%s\n' "$TAG" "$NET" >"$WORK/network"
}

# The bridge, and for each provider its namespace and veth pair (idempotent).
setup_network() {
  local i ns veth bridge
  bridge=$(bridge_of)
  if ! ip link show "$bridge" >/dev/null 2>&1; then
    ip link add "$bridge" type bridge
    ip addr add "$NET.1/24" dev "$bridge"
  fi
  ip link set "$bridge" up
  for i in $(seq 1 "$PROVIDERS"); do
    ns=$(ns_of "$i"); veth=$(veth_of "$i")
    ip netns list | grep -qw "$ns" || ip netns add "$ns"
    if ! ip link show "$veth" >/dev/null 2>&1; then
      ip link add "$veth" type veth peer name eth0 netns "$ns"
      ip -n "$ns" addr add "$(provider_ip "$i")/24" dev eth0
    fi
    ip link set "$veth" master "$bridge" up
    ip -n "$ns" link set lo up
    ip -n "$ns" link set eth0 up
  done
}

# Everything setup_network made, whatever is left of it (errors ignored: already gone).
teardown_network() {
  local i
  netns_mode || return 0
  for i in 1 2 3; do
    ip link del "$(veth_of "$i")" 2>/dev/null || true
    ip netns del "$(ns_of "$i")" 2>/dev/null || true
  done
  ip link del "$(bridge_of)" 2>/dev/null || true
}

# A provider's link: up (connected) or down (cut).
link_state() { ip -o link show "$(veth_of "$1")" 2>/dev/null | grep -q '[<,]UP[,>]' && echo connected || echo cut; }

provider_dir() { echo "$WORK/p$1"; }
# The socket path percent-encoded (as DataDirectory.ldapiURI does).
ldapi_of() { echo "ldapi://$(printf %s "$(provider_dir "$1")/run/ldapi" | sed 's,/,%2F,g')"; }
provider_port() { echo $((PROVIDER_PORT + $1 - 1)); }
frontend_port() { echo $((FRONTEND_PORT + $1 - 1)); }
# How front-ends and the other providers reach provider N.
network_uri_of() { if netns_mode; then echo "ldap://$(provider_ip "$1"):389"; else ldapi_of "$1"; fi; }
# The ordered list every front-end gets: provider 1 first, so all write to the same one while it is up.
backend_list() {  # [reverse]
  local list="" i order
  order=$(seq 1 "$PROVIDERS")
  [ "${1:-}" = reverse ] && order=$(seq "$PROVIDERS" -1 1)
  for i in $order; do list="$list${list:+,}$(network_uri_of "$i")"; done
  echo "$list"
}

wait_port() {  # port, pid, what
  for _ in $(seq 1 600); do
    if (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; then return 0; fi
    kill -0 "$2" 2>/dev/null || { echo "cluster: $3 exited during start-up (see its log in $WORK)" >&2; return 1; }
    sleep 0.1
  done
  die "$3 did not open port $1"
}

# A pid file's process is alive (a killed daemon whose parent does not reap it stays a zombie: not alive).
running() {
  [ -f "$1" ] || return 1
  local pid state
  pid=$(cat "$1")
  kill -0 "$pid" 2>/dev/null || return 1
  state=$(sed 's/.*) \(.\).*/\1/' "/proc/$pid/stat" 2>/dev/null)
  [ "$state" != Z ]
}

# 1. Data folders: provider 1 made by Annuaire itself (cn=config from Schema/, the demo directory),
#    the others get the same configuration shape from Annuaire and provider 1's entries (slapcat
#    keeps entryUUID and entryCSN), so replication starts from identical copies.
initialise() {
  local i dir port pid
  mkdir -p "$WORK"
  for i in $(seq 1 "$PROVIDERS"); do
    dir=$(provider_dir "$i")
    [ -f "$dir/initialized" ] && continue
    echo "cluster: initialising provider $i in $dir"
    port=$(frontend_port 1)
    local demo=()
    [ "$i" = 1 ] && demo=(--demo)
    (cd "$ROOT" && exec "$BIN/annuaire" serve --data-dir "$dir" "${demo[@]}" --listen 127.0.0.1:"$port" --ldaps none \
      --log-level warning --reconcile-interval 3600) >"$WORK/init-p$i.log" 2>&1 &
    pid=$!
    wait_port "$port" "$pid" "annuaire (initialising provider $i)"
    kill -TERM "$pid"; wait "$pid" || true
    if [ "$i" != 1 ]; then
      rm -f "$dir"/db/*.mdb
      "$SLAPCAT" -n1 -F "$(provider_dir 1)/config" -l "$WORK/p1-initial.ldif"
      "$SLAPADD" -q -n1 -F "$dir/config" -l "$WORK/p1-initial.ldif"
    fi
  done
}

# 2. Replication, added to each provider's cn=config once (the marker file says it was).
#    SYNC=plain (the default): syncrepl of whole entries (RFC 4533), multi-provider.
#    SYNC=delta: delta-syncrepl over an accesslog database, the lighter protocol; NOT the default:
#    with slapd 2.5.13 (Debian bookworm) a provider whose accesslog overlay logs a plain write
#    while an RFC 5805 transaction (which Annuaire uses for every rule-checked write) commits
#    deadlocks (the write holds accesslog's mutex and waits for the mdb write lock that the
#    committing transaction holds, which waits for accesslog's mutex): README, "Several machines".
configure_replication() {
  local i j dir uri rid rootdn bind admin=""
  rootdn=$PEERCRED_DN
  bind="bindmethod=sasl saslmech=EXTERNAL"
  if netns_mode; then
    # Over TCP: a simple bind as the data database's rootdn, whose password only root reads.
    mkdir -p "$WORK/secret"; chmod 700 "$WORK/secret"
    if [ ! -s "$WORK/secret/cluster-admin.pw" ]; then
      (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=\n' >"$WORK/secret/cluster-admin.pw")
    fi
    bind="bindmethod=simple binddn=\"$ADMIN_DN\" credentials=$(cat "$WORK/secret/cluster-admin.pw")"
    admin="
dn: olcDatabase={1}mdb,cn=config
changetype: modify
replace: olcRootDN
olcRootDN: $ADMIN_DN
-
replace: olcRootPW
olcRootPW: $(slappasswd -h '{SSHA}' -T "$WORK/secret/cluster-admin.pw")
-
add: olcAccess
olcAccess: {0}to * by dn.exact=\"$PEERCRED_DN\" manage by * break
-
add: olcLimits
olcLimits: dn.exact=\"$PEERCRED_DN\" size=unlimited time=unlimited
"
  fi
  for i in $(seq 1 "$PROVIDERS"); do
    dir=$(provider_dir "$i")
    [ -f "$dir/replication-configured" ] && continue
    mkdir -p "$WORK/secret"; chmod 700 "$WORK/secret"
    uri=$(ldapi_of "$i")
    local syncrepl="" delta_log=""
    for j in $(seq 1 "$PROVIDERS"); do
      [ "$j" = "$i" ] && continue
      rid=$(printf '%03d' "$j")
      [ "$SYNC" = delta ] && delta_log="
  logbase=\"cn=accesslog\" logfilter=\"(&(objectClass=auditWriteObject)(reqResult=0))\" syncdata=accesslog"
      syncrepl="${syncrepl}olcSyncrepl: {$((j - 1))}rid=$rid provider=$(network_uri_of "$j") $bind
  searchbase=\"$SUFFIX\" type=refreshAndPersist retry=\"1 10 5 +\" timeout=3 network-timeout=3$delta_log
"
    done
    echo "cluster: configuring $SYNC replication on provider $i (serverID $i)"
    {
      cat <<EOF
dn: cn=config
changetype: modify
replace: olcServerID
olcServerID: $i

dn: cn=module{0},cn=config
changetype: modify
add: olcModuleLoad
olcModuleLoad: syncprov
EOF
      if [ "$SYNC" = delta ]; then
        mkdir -p "$dir/accesslog"
        cat <<EOF
olcModuleLoad: accesslog

dn: olcDatabase={2}mdb,cn=config
changetype: add
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {2}mdb
olcSuffix: cn=accesslog
olcRootDN: $rootdn
olcDbDirectory: $dir/accesslog
olcDbMaxSize: 1073741824
olcDbIndex: default eq
olcDbIndex: entryCSN,objectClass,reqEnd,reqResult,reqStart,reqDN
olcAccess: {0}to * by * none

dn: olcOverlay=syncprov,olcDatabase={2}mdb,cn=config
changetype: add
objectClass: olcOverlayConfig
objectClass: olcSyncProvConfig
olcOverlay: syncprov
olcSpNoPresent: TRUE
olcSpReloadHint: TRUE
EOF
      fi
      cat <<EOF

dn: olcDatabase={1}mdb,cn=config
changetype: modify
add: olcDbIndex
olcDbIndex: entryCSN eq

dn: olcOverlay=syncprov,olcDatabase={1}mdb,cn=config
changetype: add
objectClass: olcOverlayConfig
objectClass: olcSyncProvConfig
olcOverlay: syncprov
olcSpCheckpoint: 100 1
olcSpSessionLog: 10000
EOF
      if [ "$SYNC" = delta ]; then
        cat <<EOF

dn: olcOverlay=accesslog,olcDatabase={1}mdb,cn=config
changetype: add
objectClass: olcOverlayConfig
objectClass: olcAccessLogConfig
olcOverlay: accesslog
olcAccessLogDB: cn=accesslog
olcAccessLogOps: writes
olcAccessLogSuccess: TRUE
olcAccessLogPurge: 07+00:00 01+00:00
EOF
      fi
      cat <<EOF

dn: olcDatabase={1}mdb,cn=config
changetype: modify
add: olcSyncrepl
${syncrepl}-
add: olcMultiProvider
olcMultiProvider: TRUE
$admin
EOF
    } >"$WORK/secret/replication-p$i.ldif"
    # It may hold the replication password: in the folder only root reads.
    ldapmodify -Q -Y EXTERNAL -H "$uri" -f "$WORK/secret/replication-p$i.ldif" >"$WORK/replication-p$i.log" 2>&1 ||
      { cat "$WORK/replication-p$i.log" >&2; die "provider $i refused the replication configuration ($WORK/secret/replication-p$i.ldif)"; }
    touch "$dir/replication-configured"
  done
}

start_provider() {  # N
  local i=$1 dir pidfile
  dir=$(provider_dir "$i")
  pidfile="$dir/run/slapd.pid"
  running "$pidfile" && return 0
  # slapd daemonizes and writes its pid file (olcPidFile); its log goes to syslog (none here).
  if netns_mode; then
    ip netns exec "$(ns_of "$i")" "$SLAPD" -F "$dir/config" -h "$(ldapi_of "$i") $(network_uri_of "$i")/" -s 0
  else
    "$SLAPD" -F "$dir/config" -h "$(ldapi_of "$i") ldap://127.0.0.1:$(provider_port "$i")" -s 0
  fi
  for _ in $(seq 1 100); do
    running "$pidfile" && ldapwhoami -Q -Y EXTERNAL -H "$(ldapi_of "$i")" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  die "provider $i did not start"
}

start_frontend() {  # N
  local i=$1 dir port pid
  dir="$WORK/fe$i"
  mkdir -p "$dir"
  running "$dir/annuaire.pid" && return 0
  port=$(frontend_port "$i")
  local order=""
  case " $REVERSED_FRONTENDS " in *" $i "*) order=reverse ;; esac
  local credentials=()
  netns_mode && credentials=(--backend-bind-dn "$ADMIN_DN" --backend-password-file "$WORK/secret/cluster-admin.pw")
  (cd "$ROOT" && exec "$BIN/annuaire" serve --backend "$(backend_list $order)" "${credentials[@]}" --data-dir "$dir" --maildir "$dir/mail" \
    --listen 127.0.0.1:"$port" --ldaps none --reconcile-interval "$RECONCILE_INTERVAL" --log-level "$FRONTEND_LOG_LEVEL") \
    >"$dir/annuaire.log" 2>&1 &
  pid=$!
  echo "$pid" >"$dir/annuaire.pid"
  wait_port "$port" "$pid" "front-end $i"
}

stop_pidfile() {  # pidfile, what
  local pid
  running "$1" || return 0
  pid=$(cat "$1")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  echo "cluster: $2 did not stop on SIGTERM; killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
}

stop_all() {
  local i
  for i in $(seq 1 4); do stop_pidfile "$WORK/fe$i/annuaire.pid" "front-end $i"; done
  for i in $(seq 1 3); do stop_pidfile "$(provider_dir "$i")/run/slapd.pid" "provider $i"; done
}

context_csns() {  # N: the provider's contextCSN values, one a line, sorted
  ldapsearch -Q -LLL -Y EXTERNAL -H "$(ldapi_of "$1")" -b "$SUFFIX" -s base contextCSN 2>/dev/null |
    sed -n 's/^contextCSN: //p' | sort
}

status() {
  local i first="" same=yes
  for i in $(seq 1 "$PROVIDERS"); do
    if running "$(provider_dir "$i")/run/slapd.pid"; then
      if netns_mode; then
        echo "provider $i (serverID $i): up, $(ldapi_of "$i"), $(network_uri_of "$i") in namespace $(ns_of "$i"), link $(link_state "$i")"
      else
        echo "provider $i (serverID $i): up, $(ldapi_of "$i"), ldap://127.0.0.1:$(provider_port "$i")"
      fi
      local csn; csn=$(context_csns "$i" | tr '\n' ' ')
      echo "  contextCSN: $csn"
      if [ -z "$first" ]; then first=$csn; elif [ "$csn" != "$first" ]; then same=no; fi
    else
      echo "provider $i: down"; same=unknown
    fi
  done
  echo "contextCSN equal on every provider: $same"
  for i in $(seq 1 "$FRONTENDS"); do
    if running "$WORK/fe$i/annuaire.pid"; then
      echo "front-end $i: up, ldap://127.0.0.1:$(frontend_port "$i")"
    else
      echo "front-end $i: down"
    fi
  done
}

print_try_it() {
  local fe1 fe2 cli i
  fe1=$(frontend_port 1); fe2=$(frontend_port "$FRONTENDS")
  cli="$BIN/annuaire"
  cat <<EOF

Cluster up: $PROVIDERS providers (serverID 1..$PROVIDERS), $FRONTENDS front-ends on ldap://127.0.0.1:$fe1..$(frontend_port "$FRONTENDS").
Every front-end writes to the first reachable of: $(backend_list)
Try it (copy-paste):

  export ANNUAIRE_PASSWORD='Annuaire-Demo-2026' XDG_CONFIG_HOME=$WORK/cli
  # a user created through front-end 1 (its identifier comes from the write provider's block)
  ID=\$($cli user create --last-name GRAPPE --first-name Lucie --mail l.grappe@partenaires.fr \\
    --mail-confirmation l.grappe@partenaires.fr --group T1 --work-mode sedentary -H ldap://127.0.0.1:$fe1 -D XXX0606XX01 2>/dev/null |
    sed -n 's/.*identifiant \([^ ]*\) .*/\1/p'); echo "\$ID"
  # its temporary password, from front-end 1's mail folder
  PW=\$(grep -h "identifiant \$ID : " $WORK/fe1/mail/new/* | sed 's/.* : //' | tr -d '\r')
  # the same person binds through front-end $FRONTENDS
  ldapwhoami -x -H ldap://127.0.0.1:$fe2 -D "uid=\$ID,ou=people,$SUFFIX" -w "\$PW"
  # the entry on every provider (as slapd's administrator, over each provider's socket)
EOF
  for i in $(seq 1 "$PROVIDERS"); do
    echo "  ldapsearch -Q -LLL -Y EXTERNAL -H '$(ldapi_of "$i")' -b '$SUFFIX' \"(uid=\$ID)\" dn uidNumber entryCSN"
  done
  cat <<EOF

  $0 status            # contextCSN of every provider
  $0 kill-provider 1   # kill -9 the write provider: writes go on through provider 2
  $0 start-provider 1  # it comes back and catches up; the front-ends fail back to it
EOF
  netns_mode && cat <<EOF
  $0 cut-provider 1      # provider 1's network link goes down (silent: no connection reset)
  $0 restore-provider 1  # its link comes back; it catches up; the front-ends fail back to it
EOF
  cat <<EOF
  $0 stop              # or: make cluster-stop
EOF
}

# A start that fails removes what it made (processes, namespaces, veth pairs, bridge).
start_failed() {
  local rc=$?
  [ "$rc" = 0 ] && return 0
  echo "cluster: start failed: stopping what was started" >&2
  stop_all; teardown_network
  exit "$rc"
}

case "${1:-start}" in
  start)
    [ -x "$BIN/annuaire" ] || die "no $BIN/annuaire: run swift build first (or set BIN)"
    if [ "$NETNS" = 1 ] && ! netns_mode; then
      [ -f "$(provider_dir 1)/initialized" ] && die "$WORK was initialised on loopback: NETNS=1 needs another WORK (or remove it)"
      choose_network
    fi
    trap start_failed EXIT
    netns_mode && setup_network
    initialise
    for i in $(seq 1 "$PROVIDERS"); do start_provider "$i"; done
    configure_replication
    for i in $(seq 1 "$FRONTENDS"); do start_frontend "$i"; done
    trap - EXIT
    status
    print_try_it
    ;;
  stop) stop_all; teardown_network; echo "cluster: stopped (data kept in $WORK; remove it for a fresh start)" ;;
  status) status ;;
  kill-provider)
    [ -n "${2:-}" ] || die "kill-provider N"
    pidfile="$(provider_dir "$2")/run/slapd.pid"
    running "$pidfile" || die "provider $2 is not running"
    kill -KILL "$(cat "$pidfile")"; echo "cluster: provider $2 killed (kill -9)" ;;
  start-provider)
    [ -n "${2:-}" ] || die "start-provider N"
    start_provider "$2"; echo "cluster: provider $2 started" ;;
  cut-provider | restore-provider)
    [ -n "${2:-}" ] || die "$1 N"
    netns_mode || die "$1 needs a cluster started with NETNS=1 (the providers on loopback share the host's network)"
    if [ "$1" = cut-provider ]; then
      ip link set "$(veth_of "$2")" down; echo "cluster: provider $2 cut off the network (its link is down)"
    else
      ip link set "$(veth_of "$2")" up; echo "cluster: provider $2 connected again"
    fi ;;
  restart-frontend)
    [ -n "${2:-}" ] || die "restart-frontend N"
    stop_pidfile "$WORK/fe$2/annuaire.pid" "front-end $2"
    start_frontend "$2"; echo "cluster: front-end $2 restarted" ;;
  *) die "usage: $0 start|stop|status|kill-provider N|start-provider N|cut-provider N|restore-provider N|restart-frontend N" ;;
esac
