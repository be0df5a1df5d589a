#!/bin/sh
# Leftovers of interrupted test runs, and only those: a test's slapd child runs from a
# temporary folder /tmp/ann.XXXXXX; when the test process that started it is gone, the slapd
# is re-parented (to init or a subreaper) and nothing will ever stop it. Runs that are still
# going (another checkout's `make test`, a second terminal) keep their slapds and folders.
# The same for clusters of Deploy/cluster.sh (test folders /tmp/ann-cluster.XXXXXX, and the
# network namespaces NETNS=1 makes), below.
set -u
for pid in $(pgrep -f '^/usr/sbin/slapd -d 0 -F /tmp/ann\.' 2>/dev/null); do
    parent=$(ps -o ppid= -p "$pid" 2>/dev/null | tr -d ' ')
    [ -n "$parent" ] || continue
    parent_cmd=$(ps -o comm= -p "$parent" 2>/dev/null)
    # Started by a test process (xctest / the test bundle) that is still alive: not a leftover.
    if [ "$parent" != 1 ] && [ "$parent_cmd" != systemd ]; then continue; fi
    kill -9 "$pid" 2>/dev/null || true
done
# Folders that no running slapd uses and that nobody touched for an hour.
for dir in /tmp/ann.??????; do
    [ -d "$dir" ] || continue
    if pgrep -f "^/usr/sbin/slapd -d 0 -F $dir/" >/dev/null 2>&1; then continue; fi
    if [ -n "$(find "$dir" -maxdepth 0 -mmin -60 2>/dev/null)" ]; then continue; fi
    rm -rf "$dir"
done

# Clusters of Deploy/cluster.sh in test folders (/tmp/ann-cluster.XXXXXX, made by ReplicationTests)
# left by an interrupted run: nothing in the folder touched for an hour (a running cluster's
# front-ends renew the reconciler lease in the providers' databases every interval, and the
# suite's time limit is minutes). The script stops what its pid files name (and removes its
# network namespaces); processes still running from that folder are killed; the folder goes.
cluster_script="$(cd "$(dirname "$0")/.." && pwd)/Deploy/cluster.sh"
for dir in /tmp/ann-cluster.??????; do
    [ -d "$dir" ] || continue
    [ -z "$(find "$dir" -mmin -60 -print -quit 2>/dev/null)" ] || continue
    WORK="$dir" "$cluster_script" stop >/dev/null 2>&1 || true
    for pid in $(pgrep -f -- "$dir/" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    rm -rf "$dir"
done

# Network namespaces made by Deploy/cluster.sh NETNS=1 (ann-<tag>-pN) of a cluster that nothing
# runs in any more: no process in any namespace of that tag (a provider killed for a drill leaves
# its namespace empty while the others run; one cut off the network still runs in its own), made
# over 10 minutes ago (a cluster starting has its slapds inside within seconds). Each goes with
# its veth pair, and the bridge ann<tag>br once no namespace of that tag is left.
if command -v ip >/dev/null 2>&1; then
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^ann-[0-9a-f]{6}-p[0-9]$'); do
        tag=${ns#ann-}; tag=${tag%-p*}; n=${ns##*-p}
        live=no
        for sibling in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^ann-$tag-p"); do
            [ -z "$(ip netns pids "$sibling" 2>/dev/null)" ] || live=yes
        done
        [ "$live" = no ] || continue
        [ -n "$(find "/run/netns/$ns" -maxdepth 0 -mmin +10 2>/dev/null)" ] || continue
        ip link del "ann${tag}p$n" 2>/dev/null || true
        ip netns del "$ns" 2>/dev/null || true
        ip netns list 2>/dev/null | grep -q "^ann-$tag-p" || ip link del "ann${tag}br" 2>/dev/null || true
    done
fi
