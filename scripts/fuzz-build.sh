#!/usr/bin/env bash
# Builds the libFuzzer targets under Fuzz/Sources (release, AddressSanitizer, coverage on the C
# code too) into .build-fuzz. Usage: scripts/fuzz-build.sh [TARGET...] (default: all).
set -euo pipefail
cd "$(dirname "$0")/.."
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=($(ls Fuzz/Sources | grep -v '^FuzzSupport$' | sed 's/^Fuzz//'))
fi
for t in "${targets[@]}"; do
  S2S_FUZZ=1 swift build -c release --scratch-path .build-fuzz --product "Fuzz$t" \
    --sanitize=address -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library -Xcc -fsanitize=fuzzer-no-link \
    2>&1 | grep -v "Cannot export local symbol" >&2
done
