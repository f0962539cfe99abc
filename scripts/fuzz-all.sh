#!/usr/bin/env bash
# Every fuzz target for SECONDS each, two at a time (the 2-core machine): the table in the README.
#   scripts/fuzz-all.sh [SECONDS]    (default 600)
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
targets=($(ls Fuzz/Sources | grep -v '^FuzzSupport$' | sed 's/^Fuzz//'))
bash scripts/fuzz-build.sh "${targets[@]}" || exit 1
lane() { for t in "$@"; do bash scripts/fuzz.sh "$t" "$seconds"; done; }
a=(); b=()
for i in "${!targets[@]}"; do if (( i % 2 == 0 )); then a+=("${targets[$i]}"); else b+=("${targets[$i]}"); fi; done
lane "${a[@]}" & lane "${b[@]}" & wait
