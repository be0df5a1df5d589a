#!/bin/sh
# Makes Fixtures/upgrade/<VERSION>/: what a data folder of that Annuaire
# version holds, as slapcat prints it — its cn=config (slapd-config.ldif:
# that version's schema, indexes, modules, ACLs) and its directory
# (directory.ldif: the demo, plus a group, a membership and a user created
# through that version's rules, with their history). Tests rebuild the folder
# from them (slapadd) and start the current version on it
# (Tests/ServerOperationsTests/UpgradeTests.swift).
# Run it with the `annuaire` built from the release tag vVERSION:
#   git worktree add /tmp/annuaire-vX vX && (cd /tmp/annuaire-vX && swift build --product annuaire)
#   Tools/UpgradeFixture/make-fixture.sh /tmp/annuaire-vX/.build/debug/annuaire X
set -eu
binary=$(readlink -f "$1")
version=$2
source=$(cd "$(dirname "$0")/../.." && pwd)
out="$source/Fixtures/upgrade/$version"
work=$(mktemp -d /tmp/annfix.XXXXXX)
pid=""
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
port=$((20000 + $$ % 10000))
cd "$work"
ANNUAIRE_RESOURCES="$source" "$binary" serve --demo --data-dir "$work/data" --listen "127.0.0.1:$port" --ldaps none \
  --argon2 m=1024,t=1,p=1 >serve.out 2>serve.err &
pid=$!
for _ in $(seq 1 120); do grep -q "listening on" serve.out 2>/dev/null && break; sleep 0.5; done
grep -q "listening on" serve.out || { cat serve.err; exit 1; }
export LDAPURI="ldap://127.0.0.1:$port" ANNUAIRE_PASSWORD='Annuaire-Demo-2026' XDG_CONFIG_HOME="$work/xdg" LDAPTLS_CACERT="$work/data/tls/server.crt"
admin=XXX0606XX01
"$binary" group create T1U --label "CDAP T1 mise à niveau" --responsible "$admin" --role CDAP/T1 -D "$admin" >/dev/null
"$binary" user create --last-name MARTIN --first-name Lucie --mail l.martin@partenaire.fr --mail-confirmation l.martin@partenaire.fr \
  --group T1U --work-mode sedentary -D "$admin" >/dev/null
"$binary" membership add XXX0606XX07 --group T1U -D "$admin" >/dev/null
kill -TERM "$pid"; wait "$pid" || true; pid=""
mkdir -p "$out"
/usr/sbin/slapcat -F "$work/data/config" -n 0 -l "$out/slapd-config.ldif"
/usr/sbin/slapcat -F "$work/data/config" -n 1 -l "$out/directory.ldif"
printf '%s\n' "$version" >"$out/version"
echo "wrote $out ($(grep -c '^dn:' "$out/directory.ldif") entries)"
