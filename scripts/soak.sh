#!/usr/bin/env bash
# Soak (`make soak`): the two long-running uses, with resident memory, open files and throughput
# sampled every SAMPLE seconds, side by side (one engine thread each). SOAK_PARTS picks them
# (default "translate train").
#   translate: `s2s translate --unbuffered --greedy --precision fp32` with the shipped model, fed
#      SOAK_LINES lines (default 1000000) through a pipe, or until SOAK_TRANSLATE_MINUTES
#      (default 120); every output line is checked against the translation of its input
#      (distinct sentences cycled, translated once beforehand), so a lost, duplicated or
#      reordered line is found. fp32 because its products do not depend on how many rows a
#      batch has (auto's bf16 streaming products for few rows would make the answer depend on
#      how much input was waiting).
#   train: `s2s train` of a small model on the bundled Multi30k for SOAK_MINUTES (default 60),
#      validating and checkpointing every SOAK_VALID_EVERY (default 200) updates (the validations counted: the records with a BLEU).
# Prints a table per run (minute, RSS MB, open fds, lines/s or metrics records, load average)
# and a verdict per run: it fails on a lost or changed line, or when RSS in the second half of a
# run grows by more than SOAK_GROWTH percent (default 2).
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
S2S=${S2S:-$repo/.build/release/s2s}
[ -x "$S2S" ] || { echo "soak: build s2s first (swift build -c release)" >&2; exit 1; }
PARTS=${SOAK_PARTS:-translate train}
LINES=${SOAK_LINES:-1000000}
MINUTES=${SOAK_MINUTES:-60}
TMINUTES=${SOAK_TRANSLATE_MINUTES:-120}
SAMPLE=${SAMPLE:-30}
GROWTH=${SOAK_GROWTH:-2}
work=$(mktemp -d "${TMPDIR:-/tmp}/s2s-soak.XXXXXX")
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
export OMP_NUM_THREADS=1 HOME=$work/home
m30k=$repo/corpora/multi30k
has() { [[ " $PARTS " == *" $1 "* ]]; }

# sample PID FILE COUNTER-CMD: seconds, RSS (MB), open fds, a counter and the 1-minute load
# average every SAMPLE s while PID lives.
sample() {
  local pid=$1 out=$2 counter=$3 t0=$(date +%s)
  while kill -0 "$pid" 2>/dev/null; do
    local rss=$(awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status" 2>/dev/null)
    local fds=$(ls "/proc/$pid/fd" 2>/dev/null | wc -l)
    [ -n "$rss" ] && echo "$(( $(date +%s) - t0 )) $rss $fds $(eval "$counter") $(cut -d' ' -f1 /proc/loadavg)" >>"$out"
    sleep "$SAMPLE"
  done
}

if has translate; then
  # 500 distinct validation sentences and their translations, one batched pass.
  awk '!seen[$0]++' "$m30k/val.en" | head -500 >"$work/sentences.en"
  "$S2S" translate --greedy --precision fp32 --model "$repo/models/default" <"$work/sentences.en" \
    >"$work/expected.de" 2>/dev/null
  k=$(wc -l <"$work/sentences.en")
  # Input generated on the fly (line i = sentence i mod k), never held in memory.
  awk -v n="$LINES" -v k="$k" 'NR == FNR { s[NR - 1] = $0; next } END { for (i = 0; i < n; i++) print s[i % k] }' \
    "$work/sentences.en" /dev/null |
    timeout "$((TMINUTES * 60))" "$S2S" translate --unbuffered --greedy --precision fp32 --model "$repo/models/default" \
      >"$work/out.de" 2>"$work/translate.err" &
  sleep 2; tpid=$(pgrep -n -f "translate --unbuffered --greedy --precision fp32 --model $repo/models/default")
  sample "$tpid" "$work/translate.samples" "wc -l <'$work/out.de'" &
fi
if has train; then
  "$S2S" corpus import --db "$work/db.sqlite" m30k --src "$m30k/train.en" --tgt "$m30k/train.de" \
    --src-lang en --tgt-lang de 2>/dev/null
  "$S2S" corpus import --db "$work/db.sqlite" m30k --append --split valid --src "$m30k/val.en" --tgt "$m30k/val.de" 2>/dev/null
  "$S2S" vocab build --db "$work/db.sqlite" --corpus m30k --joint --merges 4000 --out "$work/vocab" 2>/dev/null
  "$S2S" train --db "$work/db.sqlite" --corpus m30k --vocab "$work/vocab" --out "$work/model" --emb 128 --hidden 128 \
    --valid-every "${SOAK_VALID_EVERY:-200}" --valid-max-sentences 200 --max-time "$MINUTES" --threads 1 --log-every 50 \
    >/dev/null 2>"$work/train.err" &
  rpid=$!
  sample "$rpid" "$work/train.samples" "grep -c bleu '$work/model/metrics.jsonl' 2>/dev/null || echo 0" &
fi
wait

report() {
  printf '\n%s\n| minute | RSS MB | open fds | %s | load |\n|---|---|---|---|---|\n' "$1" "$2"
  awk -v unit="$3" '{ rate = unit == "rate" ? (NR > 1 ? sprintf("%.0f", ($4 - prev) / ($1 - prevt)) : "-") : $4;
                      printf "| %.1f | %s | %s | %s | %s |\n", $1 / 60, $2, $3, rate, $5; prev = $4; prevt = $1 }' "$4"
}
# verdict NAME FILE: RSS after warm-up (second sample), at the half and at the end; fails when
# the second half grew by more than GROWTH percent.
verdict() {
  awk -v name="$1" -v limit="$GROWTH" '{ t[NR] = $1; r[NR] = $2; f[NR] = $3 }
    END { if (NR < 4) { printf "%s: too few samples (%d)\n", name, NR; exit 1 }
          h = int((NR + 2) / 2); g = 100 * (r[NR] - r[h]) / r[h]
          printf "%s: RSS %s MB after warm-up, %s MB at minute %.0f, %s MB at the end (minute %.0f): %+.1f %% over the second half; fds %s → %s\n",
                 name, r[2], r[h], t[h] / 60, r[NR], t[NR] / 60, g, f[2], f[NR]
          exit g > limit }' "$2"
}
status=0
if has translate; then
  report "translate --unbuffered (one engine thread)" "lines/s in the interval" rate "$work/translate.samples"
  got=$(wc -l <"$work/out.de")
  bad=$(awk -v k="$k" 'NR == FNR { e[NR - 1] = $0; next } { if ($0 != e[(FNR - 1) % k]) bad++ } END { print bad + 0 }' \
    "$work/expected.de" "$work/out.de")
  echo "translate: $got lines out of $LINES fed, $bad differ from their input's translation"
  [ "$bad" -eq 0 ] || status=1
  verdict translate "$work/translate.samples" || status=1
fi
if has train; then
  report "train (one engine thread)" "validations" count "$work/train.samples"
  verdict train "$work/train.samples" || status=1
  tail -n 3 "$work/train.err" | sed 's/^/train: /'
fi
exit $status
