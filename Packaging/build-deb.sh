#!/bin/sh
# Builds annuaire_VERSION_ARCH.deb with dpkg-deb from a built binary.
# Usage: Packaging/build-deb.sh BINARY VERSION OUTDIR
# The Depends line gets slapd, ldap-utils and the packages of the shared
# libraries the binary links (dpkg-shlibdeps). A library no package ships (a Swift runtime from
# a toolchain) fails the build unless ALLOW_UNPACKAGED_LIBS=1 (tests): build
# with --static-swift-stdlib, as `make deb` does.
# DEB_COMPRESSION (default xz) is passed to dpkg-deb -Z.
set -eu
binary=$(readlink -f "$1")
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

# Libraries no Debian package ships (a toolchain's Swift runtime) cannot be depended on.
unpackaged=""
fallback=""
for library in $(ldd "$binary" | awk '/=> \// { print $3 } /^\t\// { print $1 }' | sort -u); do
  real=$(readlink -f "$library")
  owner=$( (dpkg -S "$library" 2>/dev/null || dpkg -S "$real" 2>/dev/null) | head -n1 | cut -d: -f1 || true)
  if [ -z "$owner" ]; then unpackaged="$unpackaged $library"; continue; fi
  case " $fallback " in *" $owner,"*) ;; *) fallback="$fallback $owner," ;; esac
done
if [ -n "$unpackaged" ] && [ "${ALLOW_UNPACKAGED_LIBS:-0}" != 1 ]; then
  echo "build-deb: $binary links libraries no Debian package ships:$unpackaged" >&2
  echo "build-deb: build it with swift build -c release --static-swift-stdlib (make deb does)" >&2
  exit 1
fi
# The packages of the libraries it links directly, with the versions their symbols need
# (dpkg-shlibdeps, from dpkg-dev); without it, every library ldd lists, unversioned.
if command -v dpkg-shlibdeps >/dev/null 2>&1; then
  mkdir -p "$stage/shlibs/debian"
  printf 'Source: annuaire\n\nPackage: annuaire\nArchitecture: any\n' >"$stage/shlibs/debian/control"
  shlibs=$(cd "$stage/shlibs" && dpkg-shlibdeps -O --ignore-missing-info -e"$binary" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
else
  shlibs=$(echo "$fallback" | sed -e 's/^ *//' -e 's/,$//')
fi
size=$(du -sk "$stage/root" | cut -f1)
[ -n "$shlibs" ] || shlibs="libc6"
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" -e "s/@SHLIBS@/$shlibs/" \
  "$source/Packaging/debian/control.in" >"$stage/root/DEBIAN/control"
# Owner root for every file (no fakeroot needed): dpkg-deb --root-owner-group.
mkdir -p "$outdir"
dpkg-deb --root-owner-group -Z"${DEB_COMPRESSION:-xz}" --build "$stage/root" "$outdir/annuaire_${version}_${arch}.deb" >/dev/null
echo "$outdir/annuaire_${version}_${arch}.deb"
