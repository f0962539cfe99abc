#!/usr/bin/env bash
# Soak test of `s2s serve` (release build): 8 clients for 10 minutes (wrk + serve-load.lua, one
# sentence per request), resident memory sampled every 30 s. Fails on any error, any non-2xx
# reply, any lost request (wrk's count against the server's own), or resident memory that has
# not levelled off: more than 2% growth over the second half of the run (a leak grows with the
# requests served; what a warm-up adds is bounded), or more than 25% over the whole run. The
# warm-up is real and bounded: oneDNN packs a weight once per GEMM layout, and the layout depends
# on the batch's row count, so the first minutes of varied batches add a few packed copies
# (measured: +24 MB over 2 minutes, then none; README "Serving"). Each sample also has the bytes malloc has handed out
# (s2s_heap_in_use_bytes from /metrics): RSS growing while that stays flat is allocator memory
# kept, not data held. Loopback only. Usage: scripts/serve-soak.sh [seconds] [clients]
# SERVE_BINARY picks the binary (default .build/release/s2s-serve; `make serve` builds it).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-600}
CLIENTS=${2:-8}
MODEL=${MODEL:-models/default}
command -v wrk >/dev/null || { echo "serve-soak: needs wrk (apt-get install wrk)" >&2; exit 1; }
SERVE_BINARY=${SERVE_BINARY:-.build/release/s2s-serve}
[ -x "$SERVE_BINARY" ] || { echo "serve-soak: no $SERVE_BINARY; run 'make serve' first" >&2; exit 1; }
work=$(mktemp -d)
trap 'kill "${server:-0}" "${sampler:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
head -n 1000 corpora/multi30k/val.en > "$work/sentences.en"

echo "# $(date -u +%FT%TZ) $(lscpu | sed -n 's/^Model name: *//p') $(nproc) cores; uptime:$(uptime | sed 's/.*load average/ load average/')"
"$SERVE_BINARY" --model "$MODEL" --port 0 --threads 1 > "$work/listen" 2> "$work/server.log" &
server=$!
for _ in $(seq 200); do grep -q listening "$work/listen" 2>/dev/null && break; sleep 0.05; done
port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$work/listen")
for _ in $(seq 200); do curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.05; done

( while kill -0 "$server" 2>/dev/null; do
    heap=$(curl -s "http://127.0.0.1:$port/metrics" | sed -n 's/^s2s_heap_in_use_bytes //p')
    echo "$(date +%s) $(awk '/^VmRSS:/ { print $2 }' /proc/$server/status) $(( ${heap:-0} / 1024 ))"
    sleep 30
  done ) > "$work/rss" &
sampler=$!
result=$(S2S_SENTENCES="$work/sentences.en" wrk -t 2 -c "$CLIENTS" -d "${DURATION}s" --timeout 30s \
           -s scripts/serve-load.lua "http://127.0.0.1:$port" | tail -n 1)
sleep 1
answered=$(curl -s "http://127.0.0.1:$port/metrics" | sed -n 's|^s2s_requests_total{path="/v1/translate",status="200"} ||p')
kill "$sampler" 2>/dev/null || true
kill -TERM "$server"; wait "$server"; status=$?
echo "soak clients=$CLIENTS seconds=$DURATION $result server_answered_200=$answered exit=$status"
echo "memory over time (seconds since start; resident kB; malloc in use kB):"
t0=$(head -n 1 "$work/rss" | cut -d' ' -f1)
awk -v t0="$t0" '{ printf "  %4d s  rss %d  heap %d\n", $1 - t0, $2, $3 }' "$work/rss"
requests=$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' <<< "$result")
errors=$(sed -n 's/.*errors=\([0-9]*\).*/\1/p' <<< "$result")
non2xx=$(sed -n 's/.*non2xx=\([0-9]*\).*/\1/p' <<< "$result")
# wrk counts replies it read; the server may have answered up to one more per client as wrk stopped.
lost=$(( requests > answered ? requests - answered : 0 ))
samples=$(wc -l < "$work/rss")
first=$(sed -n 2p "$work/rss" | cut -d' ' -f2); last=$(tail -n 1 "$work/rss" | cut -d' ' -f2)
middle=$(sed -n "$(( (samples + 1) / 2 ))p" "$work/rss" | cut -d' ' -f2)
echo "errors=$errors non2xx=$non2xx lost=$lost rss_kb first=$first middle=$middle end=$last uptime:$(uptime | sed 's/.*load average/ load average/')"
[ "$errors" = 0 ] && [ "$non2xx" = 0 ] && [ "$lost" = 0 ] && [ "$status" = 0 ] \
  && [ $(( last * 100 )) -le $(( middle * 102 )) ] && [ $(( last * 100 )) -le $(( first * 125 )) ] \
  || { echo "serve-soak: FAILED" >&2; exit 1; }
echo "serve-soak: passed"
