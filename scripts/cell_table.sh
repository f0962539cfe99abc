#!/usr/bin/env bash
# The cell comparison of docs/MODEL.md's cells: each encoder/decoder cell combination (and depth 2
# with residuals) trained on the bundled Multi30k en→de for a fixed time, then scored on the
# validation split with beam 5. Prints one Markdown table row per run to stdout (progress on
# stderr): cells, depth, parameters, target tokens/s over the run, validation BLEU and chrF.
#
#   scripts/cell_table.sh                 # all 16 pairs at depth 1, and the 4 same-cell pairs at depth 2
#   MINUTES=30 PAIRS="lstm:gru rnn:rnn" DEPTHS="1 2" scripts/cell_table.sh
#
# Uses the database and vocabulary `make demo` writes (corpora/corpora.sqlite, vocab/demo-m30k)
# and creates them the same way when missing. Models go to models/cells-ENC-DEC-DEPTH.
set -euo pipefail
cd "$(dirname "$0")/.."
S2S=${S2S:-.build/release/s2s}
DB=corpora/corpora.sqlite
NAME=demo-m30k
MINUTES=${MINUTES:-30}
THREADS=${THREADS:-2}
CELLS="rnn gated lstm gru"
if [ -z "${PAIRS:-}" ]; then
  PAIRS=""
  for e in $CELLS; do for d in $CELLS; do PAIRS="$PAIRS $e:$d"; done; done
fi
DEPTHS=${DEPTHS:-1}
say() { printf '== %s\n' "$*" >&2; }

if ! "$S2S" corpus list --db "$DB" 2>/dev/null | grep -q "^$NAME\b"; then
  say "importing the bundled Multi30k into $DB"
  "$S2S" corpus import "$NAME" --db "$DB" --src corpora/multi30k/train.en --tgt corpora/multi30k/train.de \
    --src-lang en --tgt-lang de --split train >&2
  "$S2S" corpus import "$NAME" --db "$DB" --append --src corpora/multi30k/val.en --tgt corpora/multi30k/val.de \
    --src-lang en --tgt-lang de --split valid >&2
fi
[ -f "vocab/$NAME/pipeline.json" ] || "$S2S" vocab build --db "$DB" --corpus "$NAME" --joint --merges 8000 --out "vocab/$NAME" >&2

echo "| encoder | decoder | layers | parameters | target tok/s | valid BLEU | valid chrF |"
echo "|---|---|---|---|---|---|---|"
for depth in $DEPTHS; do
  for pair in $PAIRS; do
    enc=${pair%%:*} dec=${pair##*:}
    out="models/cells-$enc-$dec-$depth"
    log="${TMPDIR:-/tmp}/cells-$enc-$dec-$depth.log"
    extra=()
    [ "$depth" -gt 1 ] && extra=(--enc-layers "$depth" --dec-layers "$depth" --residual)
    say "$enc encoder, $dec decoder, depth $depth: $MINUTES minutes at $THREADS threads ($(uptime | sed 's/.*load/load/'))"
    "$S2S" train --db "$DB" --corpus "$NAME" --vocab "vocab/$NAME" --out "$out" --overwrite \
      --enc-cell "$enc" --dec-cell "$dec" "${extra[@]}" --max-time "$MINUTES" --threads "$THREADS" \
      --valid-every 1000 --log-every 200 2> "$log" || { say "training failed, see $log"; continue; }
    params=$("$S2S" model info "$out" | sed -n 's/^parameters *\([0-9]*\).*/\1/p')
    # Target tokens/s: the mean of the training records' rates.
    rate=$(python3 -c 'import json,sys
r=[json.loads(l).get("tokens_per_s") for l in open(sys.argv[1])]
r=[x for x in r if x]
print(round(sum(r)/len(r)) if r else "?")' "$out/metrics.jsonl")
    scores=$("$S2S" evaluate --model "$out" --db "$DB" --corpus "$NAME" --split valid --beam 5 --threads "$THREADS" 2>/dev/null)
    bleu=$(printf '%s\n' "$scores" | sed -n 's/^ *BLEU[^=]*= *\([0-9.]*\).*/\1/p' | head -1)
    chrf=$(printf '%s\n' "$scores" | sed -n 's/^ *chrF[^=]*= *\([0-9.]*\).*/\1/p' | head -1)
    echo "| $enc | $dec | $depth | ${params:-?} | $rate | ${bleu:-?} | ${chrf:-?} |"
  done
done
