#!/bin/sh
# Installs an annuaire .deb on this machine and tries it as a new operator
# would, then removes and purges it. As root. Without systemd as PID 1 (a
# container, a build machine) the service itself is not started: the
# installed program is run by hand as the annuaire user, with the same
# configuration file, as the unit's ExecStart would run it.
# Usage: Packaging/test-package.sh dist/annuaire_VERSION_ARCH.deb
set -eu
deb=$1
[ "$(id -u)" = 0 ] || { echo "test-package: run as root (it installs and removes a package)" >&2; exit 1; }
if dpkg-query -W -f='${Status}' annuaire 2>/dev/null | grep -q "install ok installed"; then
  echo "test-package: annuaire is already installed here; remove it first" >&2; exit 1
fi
user_existed=0; getent passwd annuaire >/dev/null && user_existed=1
data_existed=0; [ -e /var/lib/annuaire ] && data_existed=1
LDAP=127.0.0.1:23389
METRICS=127.0.0.1:29389
pid=""
cleanup() {
  [ -z "$pid" ] || kill "$pid" 2>/dev/null || true
  dpkg -P annuaire >/dev/null 2>&1 || true
  [ "$data_existed" = 1 ] || rm -rf /var/lib/annuaire
  [ "$user_existed" = 1 ] || { deluser --quiet --system annuaire 2>/dev/null || true; delgroup --quiet --system annuaire 2>/dev/null || true; }
}
trap cleanup EXIT
fail() { echo "test-package: FAILED: $*" >&2; exit 1; }

echo "== install"
dpkg -i "$deb"
dpkg-deb -f "$deb" Depends | grep -q 'slapd' || fail "Depends lacks slapd"
dpkg-deb -f "$deb" Depends | grep -q 'ldap-utils' || fail "Depends lacks ldap-utils"
[ "$(command -v annuaire)" = /usr/bin/annuaire ] || fail "annuaire is not on the PATH"
getent passwd annuaire | grep -q ':/var/lib/annuaire:/usr/sbin/nologin$' || fail "no annuaire system user"
[ "$(stat -c '%U %a' /var/lib/annuaire)" = "annuaire 700" ] || fail "/var/lib/annuaire is not annuaire's, 0700"
[ "$(stat -c '%U:%G %a' /etc/annuaire/annuaire.conf)" = "root:annuaire 640" ] || fail "/etc/annuaire/annuaire.conf is not root:annuaire 0640"
[ -f /usr/share/annuaire/Schema/annuaire.ldif ] || fail "no schema in /usr/share/annuaire"
systemd-analyze verify /lib/systemd/system/annuaire.service || fail "systemd-analyze verify"
annuaire --version

echo "== the installed server, as the annuaire user, with the demo"
cd /var/lib/annuaire
runuser -u annuaire -- annuaire serve --config /etc/annuaire/annuaire.conf --demo \
  --listen "$LDAP" --ldaps none --metrics-listen "$METRICS" --argon2 m=4096,t=1,p=1 >/tmp/annuaire-test-package.out 2>&1 &
pid=$!
ready=""
for _ in $(seq 1 240); do
  if curl -fs "http://$METRICS/readyz" >/dev/null 2>&1; then ready=1; break; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.5
done
[ -n "$ready" ] || { cat /tmp/annuaire-test-package.out; fail "the server did not get ready"; }
ldapwhoami -x -H "ldap://$LDAP" -D 'uid=XXX0606XX01,ou=people,dc=annuaire,dc=local' -w 'Annuaire-Demo-2026' \
  || fail "bind as the demo administrator"
runuser -u annuaire -- annuaire status --config /etc/annuaire/annuaire.conf || fail "annuaire status"
runuser -u annuaire -- annuaire backup --config /etc/annuaire/annuaire.conf --out /var/lib/annuaire/test.tar.gz || fail "annuaire backup"
kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=""
status=0; runuser -u annuaire -- annuaire status --config /etc/annuaire/annuaire.conf >/dev/null || status=$?
[ "$status" = 3 ] || fail "annuaire status after SIGTERM: $status, not 3 (stopped)"
runuser -u annuaire -- annuaire restore /var/lib/annuaire/test.tar.gz --data-dir /var/lib/annuaire/restored || fail "annuaire restore"

echo "== a server on the restored folder"
runuser -u annuaire -- annuaire serve --config /etc/annuaire/annuaire.conf --data-dir /var/lib/annuaire/restored \
  --listen "$LDAP" --ldaps none --metrics-listen "$METRICS" >/tmp/annuaire-test-package.out 2>&1 &
pid=$!
ready=""
for _ in $(seq 1 240); do
  if curl -fs "http://$METRICS/readyz" >/dev/null 2>&1; then ready=1; break; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.5
done
[ -n "$ready" ] || { cat /tmp/annuaire-test-package.out; fail "the server on the restored folder did not get ready"; }
count=$(ldapsearch -x -LLL -H "ldap://$LDAP" -D 'uid=operateur,ou=operators,dc=annuaire,dc=local' -w 'Annuaire-Demo-2026' \
  -b 'ou=people,dc=annuaire,dc=local' '(objectClass=annUser)' dn | grep -c '^dn:')
[ "$count" -ge 7 ] || fail "the restored directory lists $count people"
kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=""

echo "== remove, purge"
dpkg -r annuaire
[ ! -e /usr/bin/annuaire ] || fail "/usr/bin/annuaire left after remove"
[ -e /etc/annuaire/annuaire.conf ] || fail "remove (not purge) must keep the configuration"
dpkg -P annuaire
[ ! -e /etc/annuaire ] || fail "/etc/annuaire left after purge"
[ ! -e /lib/systemd/system/annuaire.service ] || fail "unit left after purge"
echo "test-package: PASSED"
