#!/usr/bin/env bash
# Checks the web page of `s2s serve` in a real headless browser (Debian's chromium): starts the
# server on a free loopback port, loads `/?auto` (which translates the sentence in the box as
# soon as the models are listed), takes a screenshot, and checks that the page drew the
# translation and the attention heatmap (chromium's --dump-dom of the same page).
# Usage: scripts/serve-screenshot.sh [out.png]   (default docs/serve-page.png)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-docs/serve-page.png}
BIN=${BIN:-.build/release}
command -v chromium >/dev/null || { echo "serve-screenshot: needs chromium (apt-get install chromium)" >&2; exit 1; }
[ -x "$BIN/s2s-serve" ] || { echo "serve-screenshot: $BIN/s2s-serve is not built (make serve)" >&2; exit 1; }
work=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
"$BIN/s2s-serve" --model models/default --port 0 > "$work/listen" 2> "$work/server.log" &
server=$!
for _ in $(seq 200); do grep -q listening "$work/listen" 2>/dev/null && break; sleep 0.05; done
port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$work/listen")
for _ in $(seq 200); do curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.05; done
url="http://127.0.0.1:$port/?auto"
browser=(chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/profile"
         --virtual-time-budget=8000 --window-size=1000,1120)
"${browser[@]}" --dump-dom "$url" > "$work/dom.html" 2> "$work/chromium.log"
grep -q '<svg' "$work/dom.html" || { echo "serve-screenshot: no heatmap on the page" >&2; exit 1; }
translation=$(sed -n 's/.*<div id="out"[^>]*>\([^<]*\)<.*/\1/p' "$work/dom.html")
[ -n "$translation" ] || { echo "serve-screenshot: no translation on the page" >&2; exit 1; }
"${browser[@]}" --screenshot="$work/page.png" "$url" 2>> "$work/chromium.log"
mkdir -p "$(dirname "$OUT")"
mv "$work/page.png" "$OUT"
echo "page translated: $translation"
echo "wrote $OUT ($(stat -c %s "$OUT") bytes)"
