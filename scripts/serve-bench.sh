#!/usr/bin/env bash
# Load benchmark of `s2s serve` (release build): sentences/s and p50/p95/p99 latency at 1, 8 and
# 64 concurrent clients, one sentence per request (wrk, Debian's package, with serve-load.lua),
# with cross-request batching on and off, against one `s2s translate` process fed the same
# sentences. Loopback only. Usage: scripts/serve-bench.sh [seconds-per-run] [sentences]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-20}
COUNT=${2:-1000}
MODEL=${MODEL:-models/default}
THREADS=${THREADS:-1}
command -v wrk >/dev/null || { echo "serve-bench: needs wrk (apt-get install wrk)" >&2; exit 1; }
[ -x .build/release/s2s ] && [ -x .build/release/s2s-serve ] || { echo "serve-bench: run 'make serve' first" >&2; exit 1; }
work=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
head -n "$COUNT" corpora/multi30k/val.en > "$work/sentences.en"

echo "# $(date -u +%FT%TZ) $(lscpu | sed -n 's/^Model name: *//p') $(nproc) cores; uptime:$(uptime | sed 's/.*load average/ load average/')"
echo "# s2s translate --threads $THREADS, $COUNT sentences in one process (model load included):"
for i in 1 2 3; do
  start=$(date +%s.%N)
  .build/release/s2s translate --model "$MODEL" --threads "$THREADS" < "$work/sentences.en" > "$work/out.de"
  end=$(date +%s.%N)
  echo "translate run=$i seconds=$(echo "$end - $start" | bc) sentences_per_s=$(echo "scale=1; $COUNT / ($end - $start)" | bc)"
done

# On and off alternate at each client count, so both see the same machine load.
for clients in 1 8 64; do
  for mode in on off; do
    flags=()
    [ "$mode" = off ] && flags=(--no-batching)
    .build/release/s2s-serve --model "$MODEL" --port 0 --threads "$THREADS" "${flags[@]}" > "$work/listen" 2> "$work/server.log" &
    server=$!
    for _ in $(seq 200); do grep -q listening "$work/listen" 2>/dev/null && break; sleep 0.05; done
    port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$work/listen")
    for _ in $(seq 200); do curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.05; done
    threads=$(( clients < 2 ? 1 : 2 ))
    result=$(S2S_SENTENCES="$work/sentences.en" wrk -t "$threads" -c "$clients" -d "${SECONDS_PER_RUN}s" --timeout 30s \
               -s scripts/serve-load.lua "http://127.0.0.1:$port" | tail -n 1)
    batches=$(curl -s "http://127.0.0.1:$port/metrics" | sed -n 's/^s2s_batches_total //p')
    sentences=$(curl -s "http://127.0.0.1:$port/metrics" | sed -n 's/^s2s_sentences_total //p')
    echo "serve batching=$mode clients=$clients $result decoder_calls=$batches sentences=$sentences load:$(cut -d' ' -f1-3 /proc/loadavg)"
    kill -TERM "$server"; wait "$server" || { echo "serve-bench: server exited $?" >&2; cat "$work/server.log" >&2; exit 1; }
  done
done
