#!/usr/bin/env bash
# Replays every committed fuzz input (Fuzz/Corpus/TARGET: seeds and former findings) through its
# target once, without mutating: a quick check that no fixed finding came back.
#   scripts/fuzz-replay.sh [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=($(ls Fuzz/Sources | grep -v '^FuzzSupport$' | sed 's/^Fuzz//'))
bash scripts/fuzz-build.sh "${targets[@]}"
for t in "${targets[@]}"; do
  files=(Fuzz/Corpus/$t/*)
  SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 ".build-fuzz/release/Fuzz$t" -runs=1 "${files[@]}" >/dev/null 2>"/tmp/fuzz-replay-$t.log" \
    || { echo "fuzz-replay: $t fails, see /tmp/fuzz-replay-$t.log" >&2; exit 1; }
  echo "fuzz-replay: $t: ${#files[@]} inputs replayed" >&2
done
