#!/bin/sh
# Builds annuaire_VERSION_ARCH.deb with dpkg-deb from a built binary.
# Usage: Packaging/build-deb.sh BINARY VERSION OUTDIR
# The Depends line gets slapd, ldap-utils and, for each shared library the
# binary links, the Debian package that ships it (dpkg -S), at the version
# installed here or later. A library no package ships (a Swift runtime from
# a toolchain) fails the build unless ALLOW_UNPACKAGED_LIBS=1 (tests): build
# with --static-swift-stdlib, as `make deb` does.
# DEB_COMPRESSION (default xz) is passed to dpkg-deb -Z.
set -eu
binary=$1
version=$2
outdir=$3
source=$(cd "$(dirname "$0")/.." && pwd)
arch=$(dpkg --print-architecture)
stage=$(mktemp -d "${TMPDIR:-/tmp}/annuaire-deb.XXXXXX")
trap 'rm -rf "$stage"' EXIT

"$source"/Packaging/install.sh "$binary" /usr "$stage/root" /etc /lib/systemd/system >/dev/null
install -d "$stage/root/DEBIAN"
for script in postinst prerm postrm; do
  install -m 0755 "$source/Packaging/debian/$script" "$stage/root/DEBIAN/$script"
done
install -m 0644 "$source/Packaging/debian/conffiles" "$stage/root/DEBIAN/conffiles"

shlibs=""
unpackaged=""
for library in $(ldd "$binary" | awk '/=> \// { print $3 } /^\t\// { print $1 }' | sort -u); do
  real=$(readlink -f "$library")
  owner=$( (dpkg -S "$library" 2>/dev/null || dpkg -S "$real" 2>/dev/null) | head -n1 | cut -d: -f1 || true)
  if [ -z "$owner" ]; then
    unpackaged="$unpackaged $library"
    continue
  fi
  owner_version=$(dpkg-query -W -f='${Version}' "$owner")
  case " $shlibs " in *" $owner "*) ;; *) shlibs="$shlibs $owner (>= $owner_version)," ;; esac
done
if [ -n "$unpackaged" ] && [ "${ALLOW_UNPACKAGED_LIBS:-0}" != 1 ]; then
  echo "build-deb: $binary links libraries no Debian package ships:$unpackaged" >&2
  echo "build-deb: build it with swift build -c release --static-swift-stdlib (make deb does)" >&2
  exit 1
fi
shlibs=$(echo "$shlibs" | sed -e 's/^ *//' -e 's/,$//')
size=$(du -sk "$stage/root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" -e "s/@SHLIBS@/$shlibs/" \
  "$source/Packaging/debian/control.in" >"$stage/root/DEBIAN/control"
# Owner root for every file (no fakeroot needed): dpkg-deb --root-owner-group.
mkdir -p "$outdir"
dpkg-deb --root-owner-group -Z"${DEB_COMPRESSION:-xz}" --build "$stage/root" "$outdir/annuaire_${version}_${arch}.deb" >/dev/null
echo "$outdir/annuaire_${version}_${arch}.deb"
