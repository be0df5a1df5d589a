#!/bin/sh
# Leftovers of interrupted test runs, and only those: a test's slapd child runs from a
# temporary folder /tmp/ann.XXXXXX; when the test process that started it is gone, the slapd
# is re-parented (to init or a subreaper) and nothing will ever stop it. Runs that are still
# going (another checkout's `make test`, a second terminal) keep their slapds and folders.
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
