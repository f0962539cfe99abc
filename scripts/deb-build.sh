#!/usr/bin/env bash
# Builds s2s_VERSION_ARCH.deb with dpkg-deb from what `make static docs` made (`make deb` calls
# it). The binary carries the Swift runtime (--static-swift-stdlib), so the package depends on
# Debian libraries only; `Depends:` is computed by dpkg-shlibdeps from the libraries the binary
# links (those `ldd` shows as its direct needs: ICU, SQLite, oneDNN, libgomp, Open MPI, libc,
# libstdc++, ...), with the minimum versions their symbols files give.
#
#   scripts/deb-build.sh [OUTPUT_DIRECTORY]     (default: the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."

OUT_DIR=${1:-.}
BINARY=${BINARY:-.build-static/release/s2s}
SERVE_BINARY=${SERVE_BINARY:-.build-static/release/s2s-serve}
GENERATED=${GENERATED:-.build/generated}
VERSION=$(sed -n 's/^ *static let version = "\(.*\)"$/\1/p' Sources/s2s/VersionReport.swift)
ARCH=$(dpkg --print-architecture)
[ -n "$VERSION" ] || { echo "deb-build: no version in Sources/s2s/VersionReport.swift" >&2; exit 1; }
command -v dpkg-shlibdeps >/dev/null || { echo "deb-build: dpkg-shlibdeps missing (apt-get install dpkg-dev)" >&2; exit 1; }

WORK=.build/deb
STAGE=$WORK/s2s_${VERSION}_${ARCH}
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN"
PREFIX=/usr DESTDIR="$STAGE" BINARY="$BINARY" SERVE_BINARY="$SERVE_BINARY" GENERATED="$GENERATED" bash scripts/install.sh install >/dev/null
# Debian ships binaries without debug symbols (85 → 62 MB here) and man pages compressed
# (gzip -n leaves the time stamp out, so the bytes are reproducible).
strip --strip-unneeded "$STAGE/usr/bin/s2s" "$STAGE/usr/bin/s2s-serve"
gzip -9n "$STAGE/usr/share/man/man1/s2s.1"

# dpkg-shlibdeps reads debian/control from the directory it runs in.
mkdir -p "$WORK/shlibs/debian"
printf 'Source: s2s\n\nPackage: s2s\nArchitecture: any\n' > "$WORK/shlibs/debian/control"
binary_path=$(realpath "$STAGE/usr/bin/s2s")
serve_path=$(realpath "$STAGE/usr/bin/s2s-serve")
log=$(realpath "$WORK")/shlibs.log
if ! shlibs=$(cd "$WORK/shlibs" && dpkg-shlibdeps -O -e"$binary_path" -e"$serve_path" 2>"$log"); then
    cat "$log" >&2; exit 1
fi
depends=$(sed -n 's/^shlibs:Depends=//p' <<< "$shlibs")
[ -n "$depends" ] || { echo "deb-build: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

cat > "$STAGE/DEBIAN/control" <<EOF
Package: s2s
Version: $VERSION
Architecture: $ARCH
Maintainer: s2s developers <s2s@invalid>
Installed-Size: $(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
Depends: $depends
Section: science
Priority: optional
Description: sequence-to-sequence translation toolkit for the CPU
 Trains attention encoder-decoder translators on parallel text (SQLite
 corpus, ICU tokenizer, BPE) and translates stdin to stdout with beam
 search, or serves translations over HTTP (s2s serve). Ships an English-to-German model trained on Multi30k
 (non-commercial research and educational use; see
 /usr/share/s2s/models/default/README.md).
EOF

mkdir -p "$OUT_DIR"
deb="$OUT_DIR/s2s_${VERSION}_${ARCH}.deb"
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$deb" >/dev/null
echo "built $deb ($(du -h "$deb" | cut -f1), installed $(du -sh --exclude=DEBIAN "$STAGE" | cut -f1))"
echo "Depends: $depends"
