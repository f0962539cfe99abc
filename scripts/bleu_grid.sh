#!/usr/bin/env bash
# BLEU/chrF of a model on a parallel test set for the decoding settings the README reports:
# greedy and beam 5 with α 0, 0.6, 1.0, each with and without --replace-unk, in fp32, bf16 and int8
# (PRECISIONS="fp32 int8" to pick).
#   scripts/bleu_grid.sh [MODEL] [SRC] [REF] [TGT_LANG]   (defaults: models/default, Multi30k valid en→de)
# BLEU's tokenizer follows the target language as in `s2s evaluate`: TGT_LANG if given (ja, zh,
# th, …), else the script that dominates REF; the table's header names the one used.
set -euo pipefail
S2S=${S2S:-.build/release/s2s}
MODEL=${1:-models/default}
SRC=${2:-corpora/multi30k/val.en}
REF=${3:-corpora/multi30k/val.de}
LANG_ARGS=(); [ -n "${4:-}" ] && LANG_ARGS=(--lang "$4")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
tok=$("$S2S" evaluate --hyp "$REF" --ref "$REF" "${LANG_ARGS[@]}" --metrics bleu --format json 2>/dev/null |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["tok"])')
printf '| precision | search | α | replace-unk | BLEU (tok:%s) | chrF | seconds |\n|---|---|---|---|---|---|---|\n' "$tok"
for precision in ${PRECISIONS:-fp32 bf16 int8}; do
  for search in "greedy" "beam5 0" "beam5 0.6" "beam5 1.0"; do
    set -- $search
    if [ "$1" = greedy ]; then flags=(--greedy); alpha=-; else flags=(--beam 5 --alpha "$2"); alpha=$2; fi
    for unk in no yes; do
      extra=(); [ "$unk" = yes ] && extra=(--replace-unk)
      start=$(date +%s.%N)
      "$S2S" translate --model "$MODEL" --precision "$precision" "${flags[@]}" "${extra[@]}" < "$SRC" > "$out/hyp" 2>"$out/log" ||
        { echo "translate failed ($precision, $search, unk $unk):" >&2; cat "$out/log" >&2; exit 1; }
      secs=$(echo "$(date +%s.%N) - $start" | bc)
      read -r bleu chrf < <("$S2S" evaluate --hyp "$out/hyp" --ref "$REF" "${LANG_ARGS[@]}" --format json 2>/dev/null |
        python3 -c 'import json,sys; d={m["name"][:4]: m["score"] for m in json.load(sys.stdin)}; print(d["BLEU"], d["chrF"])')
      printf '| %s | %s | %s | %s | %s | %s | %.1f |\n' "$precision" "$1" "$alpha" "$unk" "$bleu" "$chrf" "$secs"
    done
  done
done
