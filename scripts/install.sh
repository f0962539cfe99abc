#!/usr/bin/env bash
# Installs or removes s2s: the binaries (s2s, and s2s-serve that `s2s serve` runs from beside
# it), the shipped model, the man page and shell completions,
# nothing else. `make install` / `make uninstall` / `make deb` call it; so can issue 17's targets.
#
#   scripts/install.sh install|uninstall|manifest
#
# Environment (the Makefile passes them):
#   PREFIX     installation prefix (default /usr/local); the binary finds its models in
#              PREFIX/share/s2s/models from its own location, so PREFIX is not compiled in
#   DESTDIR    staging root prepended to every destination (default empty)
#   BINARY     the s2s to install (default .build-static/release/s2s, from `make static`)
#   SERVE_BINARY  the s2s-serve to install beside it (default .build-static/release/s2s-serve,
#              from `make static-serve`)
#   GENERATED  directory holding man/s2s.1 and completions/ (default .build/generated)
set -euo pipefail
cd "$(dirname "$0")/.."

PREFIX=${PREFIX:-/usr/local}
DESTDIR=${DESTDIR:-}
BINARY=${BINARY:-.build-static/release/s2s}
SERVE_BINARY=${SERVE_BINARY:-.build-static/release/s2s-serve}
GENERATED=${GENERATED:-.build/generated}
MODEL=models/default

# One line per installed file: source, destination under PREFIX, mode. The uninstall removes
# exactly these, so a file a user put beside them survives.
manifest() {
    echo "$BINARY bin/s2s 755"
    echo "$SERVE_BINARY bin/s2s-serve 755"
    echo "$GENERATED/man/s2s.1 share/man/man1/s2s.1 644"
    echo "$GENERATED/completions/s2s.bash share/bash-completion/completions/s2s 644"
    echo "$GENERATED/completions/_s2s share/zsh/site-functions/_s2s 644"
    echo "$GENERATED/completions/s2s.fish share/fish/vendor_completions.d/s2s.fish 644"
    (cd "$MODEL" && find . -type f | LC_ALL=C sort) | while read -r f; do
        f=${f#./}
        echo "$MODEL/$f share/s2s/models/default/$f 644"
    done
}

install_files() {
    local missing=0
    while read -r src dest mode; do
        [ -f "$src" ] || { echo "install: $src is missing (run make install, which builds it)" >&2; missing=1; }
    done < <(manifest)
    [ "$missing" = 0 ] || exit 1
    while read -r src dest mode; do
        install -D -m "$mode" "$src" "$DESTDIR$PREFIX/$dest"
    done < <(manifest)
    echo "installed s2s in $DESTDIR$PREFIX (bin/s2s, bin/s2s-serve, share/s2s/models/default, man page, completions)"
}

uninstall_files() {
    while read -r src dest mode; do
        rm -f "$DESTDIR$PREFIX/$dest"
    done < <(manifest)
    # Directories that only s2s uses go when empty; shared ones (bin, share/man/man1, ...) stay.
    # Deepest first, so that a directory is empty by the time it is tried.
    { manifest | awk '$2 ~ /^share\/s2s\// { print $2 }' | while read -r f; do dirname "$f"; done
      echo share/s2s/models; echo share/s2s; } | LC_ALL=C sort -ru | while read -r d; do
        rmdir "$DESTDIR$PREFIX/$d" 2>/dev/null || true
    done
    echo "removed s2s from $DESTDIR$PREFIX"
}

case "${1:-}" in
    install) install_files ;;
    uninstall) uninstall_files ;;
    manifest) manifest ;;
    *) echo "usage: $0 install|uninstall|manifest" >&2; exit 2 ;;
esac
