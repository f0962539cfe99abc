#!/usr/bin/env bash
# Proves that the .deb works where no Swift toolchain is: a minimal Debian root made by
# debootstrap (the host's release, from the mirror in the host's own apt sources), then
# `apt install ./s2s_….deb` inside it and one sentence translated with the packaged model.
# Then `s2s serve` from the package, spoken to over loopback from the host.
# Prints the package size, its Depends line and the time from `apt install` to the first
# translated line. As root (debootstrap and chroot); debootstrap is installed when missing.
#
#   scripts/deb-check.sh s2s_VERSION_ARCH.deb     (make deb-check builds the package first)
#
# The pristine root is made once in .build/deb-check/base (minutes) and copied for each run,
# so every check starts from a root that has never seen s2s.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB=${1:?usage: scripts/deb-check.sh s2s_VERSION_ARCH.deb}
[ -f "$DEB" ] || { echo "deb-check: no package at $DEB" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "deb-check: needs root (debootstrap, chroot, mount)" >&2; exit 1; }
WORK=$PWD/.build/deb-check
BASE=$WORK/base
ROOT=$WORK/root
SUITE=$(. /etc/os-release && echo "$VERSION_CODENAME")
# The host's Debian mirror: the first URIs of its deb822 sources, else of sources.list.
MIRROR=${S2S_DEBIAN_MIRROR:-$( (awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true;
                               awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true) | head -n 1)}
[ -n "$MIRROR" ] || { echo "deb-check: no Debian mirror in /etc/apt; set S2S_DEBIAN_MIRROR" >&2; exit 1; }

if ! command -v debootstrap >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi

if [ ! -f "$BASE/.s2s-complete" ]; then
    rm -rf "$BASE"
    echo "deb-check: debootstrap --variant=minbase $SUITE (once; kept in $BASE)"
    start=$(date +%s)
    debootstrap --variant=minbase "$SUITE" "$BASE" "$MIRROR" > "$WORK.debootstrap.log" 2>&1 \
        || { tail -n 20 "$WORK.debootstrap.log" >&2; exit 1; }
    touch "$BASE/.s2s-complete"
    echo "deb-check: base root made in $(( $(date +%s) - start )) s"
fi

unmount() {
    for m in sys dev proc; do umount -l "$ROOT/$m" 2>/dev/null || true; done
}
trap unmount EXIT
unmount
rm -rf "$ROOT"
cp -a "$BASE" "$ROOT"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
mount -t proc proc "$ROOT/proc"
mount --bind /dev "$ROOT/dev"
mount --bind -o ro /sys "$ROOT/sys"
in_root() { chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }

# The clean root really has no Swift: no toolchain, no runtime library anywhere.
if in_root sh -c 'command -v swift || ls -d /opt/swift || find / -xdev -name "libswiftCore.so*" | grep .' 2>/dev/null; then
    echo "deb-check: the root is not clean: Swift found" >&2; exit 1
fi
in_root apt-get update -qq

cp "$DEB" "$ROOT/tmp/"
package=/tmp/$(basename "$DEB")
sentence="Two dogs are playing in the snow."
start=$(date +%s.%N)
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" > "$WORK/apt-install.log" 2>&1 \
    || { tail -n 30 "$WORK/apt-install.log" >&2; exit 1; }
installed=$(date +%s.%N)
first=$(echo "$sentence" | in_root sh -c 'cd /tmp && s2s translate' | head -n 1)
done_at=$(date +%s.%N)

echo "package:      $(basename "$DEB"), $(stat -c %s "$DEB") bytes ($(du -h "$DEB" | cut -f1))"
echo "Depends:      $(dpkg-deb -f "$DEB" Depends)"
echo "pulled in:    $(grep -c '^Setting up ' "$WORK/apt-install.log" || true) packages set up by apt (see $WORK/apt-install.log)"
echo "version:      $(in_root s2s --version | tr '\n' ' ')"
echo "translation:  $sentence → $first"
awk -v a="$start" -v b="$installed" -v c="$done_at" \
    'BEGIN { printf "time:         apt install %.1f s, then first translated line %.2f s: %.1f s in all\n", b - a, c - b, c - a }' 
[ "$first" = "Zwei Hunde spielen im Schnee." ] || { echo "deb-check: unexpected translation" >&2; exit 1; }

# `s2s serve`: the packaged s2s-serve beside s2s, the packaged model; the chroot shares the
# host's network, so the host's curl talks to it. SIGTERM must stop it cleanly.
rm -f "$ROOT/tmp/serve.out" "$ROOT/tmp/serve.err"
in_root sh -c 'cd /tmp && { s2s serve --port 0 --threads 1 > /tmp/serve.out 2> /tmp/serve.err & echo $! > /tmp/serve.pid; }'
serve_pid=$(cat "$ROOT/tmp/serve.pid")
port=""
for _ in $(seq 400); do port=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\)$|\1|p' "$ROOT/tmp/serve.out"); [ -n "$port" ] && break; sleep 0.05; done
[ -n "$port" ] || { echo "deb-check: s2s serve did not start: $(cat "$ROOT/tmp/serve.err")" >&2; exit 1; }
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.05; done
reply=$(curl -s -H 'Content-Type: application/json' -d "{\"src\": [\"$sentence\"]}" "http://127.0.0.1:$port/v1/translate")
kill -TERM "$serve_pid"
for _ in $(seq 200); do kill -0 "$serve_pid" 2>/dev/null || break; sleep 0.05; done
echo "serve:        $reply"
grep -qF '"text":"Zwei Hunde spielen im Schnee."' <<< "$reply" || { echo "deb-check: s2s serve did not translate" >&2; exit 1; }
grep -qF 's2s serve: stopped' "$ROOT/tmp/serve.err" || { echo "deb-check: s2s serve did not stop cleanly: $(cat "$ROOT/tmp/serve.err")" >&2; exit 1; }
# (apt warns that it cannot log without /dev/pts, which the root does not need)
in_root apt-get remove -y -qq s2s > "$WORK/apt-remove.log" 2>&1
[ ! -e "$ROOT/usr/bin/s2s" ] && [ ! -e "$ROOT/usr/bin/s2s-serve" ] && [ ! -e "$ROOT/usr/share/s2s" ] || { echo "deb-check: apt remove left files" >&2; exit 1; }
echo "deb-check: passed (installed, translated, served, removed cleanly)"
