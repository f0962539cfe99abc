#!/usr/bin/env bash
# Fault injection (`make faults`): disk full, kill -9, concurrent imports and read-only places
# against the real s2s binary, then a table of trials and outcomes. Data lost must stay 0.
#
#   scripts/faults.sh                 everything (root: disk-full and read-only need mount)
#   KILL_TRIALS=20 scripts/faults.sh  fewer kill -9 trials (default 100 each)
#   S2S=path/to/s2s                   the binary (default .build/release/s2s, else .build/debug/s2s)
#
# "data lost" counts a trial after which what existed before is gone or unusable: a corpus
# database failing PRAGMA integrity_check or holding part of an import, a previous checkpoint,
# model or vocabulary that no longer loads, an output directory that appeared half-written.
# "unclear" counts a failure without a one-line `Error:` naming the problem, or a success that
# should have been a failure.
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
S2S=${S2S:-}
[ -z "$S2S" ] && { [ -x "$repo/.build/release/s2s" ] && S2S=$repo/.build/release/s2s || S2S=$repo/.build/debug/s2s; }
[ -x "$S2S" ] || { echo "faults: build s2s first (swift build -c release)" >&2; exit 1; }
KILL_TRIALS=${KILL_TRIALS:-100}
work=$(mktemp -d "${TMPDIR:-/tmp}/s2s-faults.XXXXXX")
mounts=()
cleanup() { for m in "${mounts[@]}"; do umount "$m" 2>/dev/null; done; rm -rf "$work"; }
trap cleanup EXIT
export HOME=$work/home OMP_NUM_THREADS=1
source "$repo/scripts/faults-lib.sh"

# Shared inputs: 5000 training and 200 validation pairs of the bundled Multi30k.
m30k=$repo/corpora/multi30k
head -5000 "$m30k/train.en" >"$work/s.en"; head -5000 "$m30k/train.de" >"$work/s.de"
head -200 "$m30k/val.en" >"$work/v.en"; head -200 "$m30k/val.de" >"$work/v.de"
base_db=$work/base.sqlite
"$S2S" corpus import --db "$base_db" base --src "$work/s.en" --tgt "$work/s.de" --src-lang en --tgt-lang de 2>/dev/null
"$S2S" corpus import --db "$base_db" base --append --split valid --src "$work/v.en" --tgt "$work/v.de" 2>/dev/null
"$S2S" vocab build --db "$base_db" --corpus base --joint --merges 300 --out "$work/vocab" 2>/dev/null
# What a complete import of the train file holds (it has exact duplicates, which are skipped).
# Its duration sets the window of the kill -9 trials (so some finish and most do not).
run "$S2S" corpus import --db "$work/ref.sqlite" ref --src "$m30k/train.en" --tgt "$m30k/train.de" --src-lang en --tgt-lang de
big=$(pairs "$work/ref.sqlite" ref) import_ms=$elapsed_ms
tiny=(--emb 8 --hidden 8 --att-dim 8 --batch-tokens 200 --valid-max-sentences 10 --threads 1 --patience 0)
"$S2S" train --db "$base_db" --corpus base --vocab "$work/vocab" --out "$work/model" "${tiny[@]}" \
  --max-steps 4 --valid-every 2 2>/dev/null || { echo "faults: setup training failed" >&2; exit 1; }
echo "faults: $S2S, work in $work, $KILL_TRIALS kill -9 trials each" >&2

can_mount=0
if [ "$(id -u)" -eq 0 ] && mkdir -p "$work/probe" && mount -t tmpfs -o size=64k tmpfs "$work/probe" 2>/dev/null; then
  umount "$work/probe"; can_mount=1
fi

# ---- Disk full: a tmpfs filled up to FREE bytes before the command runs.
if [ $can_mount -eq 1 ]; then
  full=$work/full
  mkdir -p "$full"; mount -t tmpfs -o size=24m tmpfs "$full"; mounts+=("$full")
  frees=(0 4096 65536 262144 1048576)

  # Import: 29000 pairs into a database that already holds 'base'.
  t=0 lost=0 unclear=0
  for free in "${frees[@]}"; do
    rm -rf "${full:?}"/*; cp "$base_db" "$full/db.sqlite"; fill_to "$full" "$free"
    run "$S2S" corpus import --db "$full/db.sqlite" big --src "$m30k/train.en" --tgt "$m30k/train.de" --src-lang en --tgt-lang de
    t=$((t + 1)); expect_error || unclear=$((unclear + 1))
    rm -f "$full/filler"
    db_ok "$full/db.sqlite" && [ "$(pairs "$full/db.sqlite" base)" = 5200 ] && [ "$(pairs "$full/db.sqlite" big)" = 0 ] || lost=$((lost + 1))
  done
  row "disk full" "corpus import (29000 pairs)" $t $unclear $lost "database intact, import absent"

  # Vocabulary build replacing an existing vocabulary with --force.
  t=0 lost=0 unclear=0 fit=0
  for free in 0 4096 16384 32768 49152 65536; do
    rm -rf "${full:?}"/*; cp -r "$work/vocab" "$full/vocab"; before=$(tree_hash "$full/vocab"); fill_to "$full" "$free"
    run "$S2S" vocab build --db "$base_db" --corpus base --joint --merges 2000 --out "$full/vocab" --force
    t=$((t + 1)); rm -f "$full/filler"
    if [ "$status" -eq 0 ]; then   # it fitted: the new vocabulary must be whole
      fit=$((fit + 1)); vocab_ok "$full/vocab" && [ "$(ls -A "$full")" = vocab ] || lost=$((lost + 1))
    else
      expect_error || unclear=$((unclear + 1))
      [ "$(tree_hash "$full/vocab")" = "$before" ] && [ "$(ls -A "$full")" = vocab ] || lost=$((lost + 1))
    fi
  done
  row "disk full" "vocab build --force" $t $unclear $lost "$fit fitted; otherwise old vocabulary kept, no leftovers"

  # Checkpoint: a run resumed on a full disk.
  t=0 lost=0 unclear=0 fit=0
  for free in 0 4096 16384 32768 65536 131072; do
    rm -rf "${full:?}"/*; cp -r "$work/model" "$full/model"; before=$(ckpt_step "$full/model"); fill_to "$full" "$free"
    run "$S2S" train --db "$base_db" --corpus base --vocab "$work/vocab" --out "$full/model" "${tiny[@]}" \
      --valid-every 2 --max-steps 8 --resume
    t=$((t + 1)); rm -f "$full/filler"
    if [ "$status" -eq 0 ]; then fit=$((fit + 1)); else expect_error || unclear=$((unclear + 1)); fi
    step=$(ckpt_step "$full/model")
    [ -n "$step" ] && [ "$step" -ge "$before" ] && model_ok "$full/model" || lost=$((lost + 1))
  done
  row "disk full" "train checkpoint write" $t $unclear $lost "$fit fitted; otherwise the previous checkpoint loads"

  # model pack into a new directory.
  t=0 lost=0 unclear=0
  for free in 0 65536 1048576 4194304 8388608; do
    rm -rf "${full:?}"/*; fill_to "$full" "$free"
    run "$S2S" model pack "$repo/models/default" --out "$full/packed"
    t=$((t + 1)); expect_error || unclear=$((unclear + 1))
    rm -f "$full/filler"
    [ -z "$(ls -A "$full")" ] || lost=$((lost + 1))
  done
  row "disk full" "model pack --out NEW" $t $unclear $lost "no directory appears"

  # translate with stdout on the full disk.
  t=0 lost=0 unclear=0
  for free in 0 1024 4096 8192; do
    rm -rf "${full:?}"/*; fill_to "$full" "$free"
    run_out "$full/out.de" "$S2S" translate --model "$repo/models/default" --greedy < "$work/v.en"
    t=$((t + 1)); expect_error || unclear=$((unclear + 1))
    rm -f "$full/filler"
  done
  row "disk full" "translate > file" $t $unclear 0 "output is a stream: the error is what matters"
  umount "$full"; mounts=()
else
  row "disk full" "(all)" 0 0 0 "skipped: needs root to mount a tmpfs"
fi

# ---- kill -9 at a random moment.
# Import: each trial imports the 29000-pair train file as a new corpus into one database.
db=$work/kill.sqlite; cp "$base_db" "$db"
t=0 lost=0 completed=0
for i in $(seq 1 "$KILL_TRIALS"); do
  kill_after "$(rand_ms $((import_ms * 6 / 5 + 1)))" "$S2S" corpus import --db "$db" "k$i" --src "$m30k/train.en" --tgt "$m30k/train.de" --src-lang en --tgt-lang de
  t=$((t + 1)); n=$(pairs "$db" "k$i")
  [ "$n" = "$big" ] && completed=$((completed + 1))
  db_ok "$db" && { [ "$n" = 0 ] || [ "$n" = "$big" ]; } && [ "$(pairs "$db" base)" = 5200 ] || lost=$((lost + 1))
  [ "$n" = "$big" ] && "$S2S" corpus remove --db "$db" "k$i" >/dev/null 2>&1
done
row "kill -9" "corpus import (29000 pairs)" $t 0 $lost "killed at 0–1.2× a full import ($import_ms ms); $completed finished first, the rest left nothing"

# Checkpoint: a run resumed, checkpointing every 2 updates, killed at a random moment (--patience 0:
# an early-stopped run would end at once on resume and write nothing).
cp -r "$work/model" "$work/kmodel"
# The window: three times a resumed run that writes one more checkpoint (mostly start-up).
cp -r "$work/model" "$work/calib"
run "$S2S" train --db "$base_db" --corpus base --vocab "$work/vocab" --out "$work/calib" "${tiny[@]}" \
  --valid-every 2 --max-steps $(( $(ckpt_step "$work/calib") + 2 )) --resume
window_ms=$((elapsed_ms * 3))
t=0 lost=0 advanced=0 litter=0
for i in $(seq 1 "$KILL_TRIALS"); do
  before=$(ckpt_step "$work/kmodel")
  kill_after "$(rand_ms "$window_ms")" "$S2S" train --db "$base_db" --corpus base --vocab "$work/vocab" \
    --out "$work/kmodel" "${tiny[@]}" --valid-every 2 --max-steps 100000 --resume
  t=$((t + 1)); step=$(ckpt_step "$work/kmodel")
  [ -n "$step" ] && [ "$step" -ge "$before" ] && model_ok "$work/kmodel" || lost=$((lost + 1))
  [ -n "$step" ] && [ "$step" -gt "$before" ] && advanced=$((advanced + 1))
done
litter=$(find "$work/kmodel" -name '.*tmp*' | wc -l)
"$S2S" train --db "$base_db" --corpus base --vocab "$work/vocab" --out "$work/kmodel" "${tiny[@]}" \
  --valid-every 2 --max-steps $(( $(ckpt_step "$work/kmodel") + 2 )) --resume >/dev/null 2>&1
after=$(find "$work/kmodel" -name '.*tmp*' | wc -l)
row "kill -9" "train checkpoint write" $t 0 $lost "killed at 0–${window_ms} ms; $advanced advanced the checkpoint; temp files of killed writers: $litter, after the next run $after"

# ---- Two imports into one database at once.
t=0 lost=0 unclear=0 refused=0
for i in $(seq 1 10); do
  db=$work/conc$i.sqlite; cp "$base_db" "$db"
  name_b="b$i"; [ $((i % 2)) -eq 0 ] && name_b="a$i"   # every other trial: the same corpus name twice
  "$S2S" corpus import --db "$db" "a$i" --src "$m30k/train.en" --tgt "$m30k/train.de" --src-lang en --tgt-lang de >/dev/null 2>"$work/ea" & pa=$!
  "$S2S" corpus import --db "$db" "$name_b" --src "$m30k/train.en" --tgt "$m30k/train.de" --src-lang en --tgt-lang de >/dev/null 2>"$work/eb" & pb=$!
  wait $pa; sa=$?; wait $pb; sb=$?
  t=$((t + 1))
  for s in "$sa:$work/ea" "$sb:$work/eb"; do
    if [ "${s%%:*}" -ne 0 ]; then refused=$((refused + 1)); one_error_line "${s#*:}" || unclear=$((unclear + 1)); fi
  done
  expected=$(( (sa == 0 ? big : 0) + (sb == 0 ? big : 0) ))
  got=$(( $(pairs "$db" "a$i") + $( [ "$name_b" = "a$i" ] && echo 0 || pairs "$db" "$name_b") ))
  db_ok "$db" && [ "$got" = "$expected" ] || lost=$((lost + 1))
done
row "concurrent" "two imports, one database" $t $unclear $lost "$refused of 20 imports refused (same name), the rest landed"

# ---- Read-only database and output directories: a clear error before the work starts.
if [ $can_mount -eq 1 ]; then
  ro=$work/ro; mkdir -p "$ro"; mount -t tmpfs -o size=16m tmpfs "$ro"; mounts+=("$ro")
  cp "$base_db" "$ro/db.sqlite"; cp -r "$work/vocab" "$ro/vocab"; mkdir -p "$ro/out"
  mount -o remount,ro "$ro"
  t=0 unclear=0 lost=0 slow=0
  check_ro() { t=$((t + 1)); expect_error || unclear=$((unclear + 1)); [ "$elapsed_ms" -lt "$1" ] || slow=$((slow + 1)); }
  run "$S2S" corpus import --db "$ro/db.sqlite" big --src "$m30k/train.en" --tgt "$m30k/train.de" --src-lang en --tgt-lang de; check_ro 2000
  run "$S2S" vocab build --db "$base_db" --corpus base --joint --merges 2000 --out "$ro/out/vocab"; check_ro 2000
  run "$S2S" model pack "$repo/models/default" --out "$ro/out/packed"; check_ro 5000
  run "$S2S" train --db "$base_db" --corpus base --vocab "$work/vocab" --out "$ro/out/model" "${tiny[@]}" --max-steps 4; check_ro 5000
  run "$S2S" train --db "$ro/db.sqlite" --corpus base --vocab "$ro/vocab" --out "$work/romodel" "${tiny[@]}" --max-steps 2
  t=$((t + 1)); [ "$status" -eq 0 ] || expect_error || unclear=$((unclear + 1))   # trains, or says why not
  [ "$(sqlite3 "file:$ro/db.sqlite?immutable=1" 'PRAGMA integrity_check' 2>&1)" = ok ] || lost=$((lost + 1))
  row "read-only" "import, vocab build, pack, train --out; train from a ro db" $t $unclear $lost "$slow errors came after work started"
  umount "$ro"; mounts=("${mounts[@]/$ro}")
else
  row "read-only" "(all)" 0 0 0 "skipped: needs root to mount"
fi

print_table
