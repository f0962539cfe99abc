#!/usr/bin/env bash
# Soak (`make soak`): the two long-running uses, with resident memory, open files and throughput
# sampled every SAMPLE seconds, side by side (one engine thread each).
#   1. `s2s translate --unbuffered --greedy` with the shipped model, fed SOAK_LINES lines
#      (default 1000000) through a pipe, or until SOAK_MINUTES (default 60); every output line is
#      checked against the translation of its input (distinct sentences cycled), so a lost,
#      duplicated or reordered line is found.
#   2. `s2s train` of a small model on the bundled Multi30k for SOAK_MINUTES, validating and
#      checkpointing every SOAK_VALID_EVERY (default 200) updates.
# Prints a table per run (minute, RSS MB, open fds, lines/s or step) and a verdict line each.
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
S2S=${S2S:-$repo/.build/release/s2s}
[ -x "$S2S" ] || { echo "soak: build s2s first (swift build -c release)" >&2; exit 1; }
LINES=${SOAK_LINES:-1000000}
MINUTES=${SOAK_MINUTES:-60}
SAMPLE=${SAMPLE:-30}
work=$(mktemp -d "${TMPDIR:-/tmp}/s2s-soak.XXXXXX")
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
export OMP_NUM_THREADS=1 HOME=$work/home
m30k=$repo/corpora/multi30k

# The sentences: 500 distinct validation sentences and their translations, one pass.
awk '!seen[$0]++' "$m30k/val.en" | head -500 >"$work/sentences.en"
"$S2S" translate --greedy --model "$repo/models/default" <"$work/sentences.en" >"$work/expected.de" 2>/dev/null
k=$(wc -l <"$work/sentences.en")

# sample PID LABEL FILE [COUNTER-CMD]: RSS (MB), open fds and a counter every SAMPLE s.
sample() {
  local pid=$1 out=$2 counter=$3 t0=$(date +%s)
  while kill -0 "$pid" 2>/dev/null; do
    local rss=$(awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status" 2>/dev/null)
    local fds=$(ls "/proc/$pid/fd" 2>/dev/null | wc -l)
    [ -n "$rss" ] && echo "$(( $(date +%s) - t0 )) $rss $fds $(eval "$counter")" >>"$out"
    sleep "$SAMPLE"
  done
}

# 1. translate: input generated on the fly (line i = sentence i mod k), never held in memory.
awk -v n="$LINES" -v k="$k" 'NR == FNR { s[NR - 1] = $0; next } END { for (i = 0; i < n; i++) print s[i % k] }' \
  "$work/sentences.en" /dev/null |
  timeout "$((MINUTES * 60))" "$S2S" translate --unbuffered --greedy --model "$repo/models/default" \
    >"$work/out.de" 2>"$work/translate.err" &
sleep 2; tpid=$(pgrep -n -f "translate --unbuffered --greedy --model $repo/models/default")

# 2. train: a small model for MINUTES minutes.
"$S2S" corpus import --db "$work/db.sqlite" m30k --src "$m30k/train.en" --tgt "$m30k/train.de" \
  --src-lang en --tgt-lang de 2>/dev/null
"$S2S" corpus import --db "$work/db.sqlite" m30k --append --split valid --src "$m30k/val.en" --tgt "$m30k/val.de" 2>/dev/null
"$S2S" vocab build --db "$work/db.sqlite" --corpus m30k --joint --merges 4000 --out "$work/vocab" 2>/dev/null
"$S2S" train --db "$work/db.sqlite" --corpus m30k --vocab "$work/vocab" --out "$work/model" --emb 128 --hidden 128 \
  --valid-every ${SOAK_VALID_EVERY:-200} --valid-max-sentences 200 --max-time "$MINUTES" --threads 1 --log-every 50 \
  >/dev/null 2>"$work/train.err" &
rpid=$!

sample "$tpid" "$work/translate.samples" "wc -l <'$work/out.de'" &
sample "$rpid" "$work/train.samples" "cat '$work/model/metrics.jsonl' 2>/dev/null | wc -l" &
wait "$rpid"; wait

report() {
  printf '%s\n| minute | RSS MB | open fds | %s |\n|---|---|---|---|\n' "$1" "$2"
  awk -v unit="$3" '{ rate = unit == "rate" ? (NR > 1 ? sprintf("%.0f", ($4 - prev) / ($1 - prevt)) : "-") : $4;
                      printf "| %.1f | %s | %s | %s |\n", $1 / 60, $2, $3, rate; prev = $4; prevt = $1 }' "$4"
}
report "translate --unbuffered (one engine thread)" "lines/s in the interval" rate "$work/translate.samples"
report "train (one engine thread)" "metrics records" count "$work/train.samples"

# Every output line is its input's translation, in order.
got=$(wc -l <"$work/out.de")
bad=$(awk -v k="$k" 'NR == FNR { e[NR - 1] = $0; next } { if ($0 != e[(FNR - 1) % k]) bad++ } END { print bad + 0 }' \
  "$work/expected.de" "$work/out.de")
echo "translate: $got lines out of $LINES fed, $bad differ from their input's translation"
# RSS after warm-up (second sample) against the last sample.
for f in translate train; do
  awk -v name="$f" 'NR == 2 { a = $2 } { b = $2; fa = (NR == 2 ? $3 : fa); fb = $3 } END { printf "%s: RSS %s MB after warm-up, %s MB at the end; fds %s → %s\n", name, a, b, fa, fb }' "$work/$f.samples"
done
tail -n 3 "$work/train.err" | sed 's/^/train: /'
[ "$bad" -eq 0 ]
