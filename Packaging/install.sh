#!/bin/sh
# Installs a built annuaire into DESTDIR/PREFIX with the GNU layout that
# ProjectResources and InstallationLayout expect:
#   PREFIX/bin/annuaire
#   PREFIX/share/annuaire/{Schema,Fixtures}       found without ANNUAIRE_RESOURCES
#   PREFIX/share/doc/annuaire/                     README, docs, LICENSE, examples
#   SYSCONFDIR/annuaire/annuaire.conf               kept when it exists
#   UNITDIR/annuaire.service                       ExecStart and --config rewritten for PREFIX
# Usage: Packaging/install.sh BINARY PREFIX [DESTDIR] [SYSCONFDIR] [UNITDIR]
set -eu
binary=$1
prefix=$2
destdir=${3:-}
if [ "$prefix" = /usr ]; then default_sysconf=/etc; else default_sysconf=$prefix/etc; fi
sysconfdir=${4:-$default_sysconf}
unitdir=${5:-$prefix/lib/systemd/system}
source=$(cd "$(dirname "$0")/.." && pwd)

install -d "$destdir$prefix/bin" "$destdir$prefix/share/annuaire/Schema" "$destdir$prefix/share/annuaire/Fixtures" \
  "$destdir$prefix/share/doc/annuaire/docs/integrations" "$destdir$prefix/share/doc/annuaire/examples" \
  "$destdir$sysconfdir/annuaire" "$destdir$unitdir"
install -m 0755 "$binary" "$destdir$prefix/bin/annuaire"
install -m 0644 "$source"/Schema/annuaire.ldif "$source"/Schema/*.template "$destdir$prefix/share/annuaire/Schema/"
install -m 0644 "$source"/Fixtures/demo.ldif "$destdir$prefix/share/annuaire/Fixtures/"
install -m 0644 "$source"/README.md "$source"/SECURITY.md "$source"/LICENSE "$destdir$prefix/share/doc/annuaire/"
install -m 0644 "$source"/docs/*.md "$destdir$prefix/share/doc/annuaire/docs/"
install -m 0644 "$source"/docs/integrations/*.md "$destdir$prefix/share/doc/annuaire/docs/integrations/"
install -m 0644 "$source"/Packaging/annuaire.conf "$source"/Packaging/systemd/low-ports.conf "$destdir$prefix/share/doc/annuaire/examples/"
# operations.md is the page the unit's Documentation= names.
install -m 0644 "$source"/docs/operations.md "$destdir$prefix/share/doc/annuaire/operations.md"
if [ ! -e "$destdir$sysconfdir/annuaire/annuaire.conf" ]; then
  install -m 0640 "$source"/Packaging/annuaire.conf "$destdir$sysconfdir/annuaire/annuaire.conf"
fi
sed -e "s|/usr/bin/annuaire|$prefix/bin/annuaire|" -e "s|/etc/annuaire/|$sysconfdir/annuaire/|g" \
  -e "s|/usr/share/doc/annuaire/|$prefix/share/doc/annuaire/|g" \
  "$source"/Packaging/systemd/annuaire.service >"$destdir$unitdir/annuaire.service"
chmod 0644 "$destdir$unitdir/annuaire.service"
echo "installed annuaire into $destdir$prefix (configuration $destdir$sysconfdir/annuaire/annuaire.conf, unit $destdir$unitdir/annuaire.service)"
