#!/usr/bin/env bash
# Runs one libFuzzer target (Fuzz/Sources/Fuzz<TARGET>) for SECONDS seconds, one job, nice 10.
#   scripts/fuzz.sh TARGET [SECONDS]      e.g. scripts/fuzz.sh Tokenizer 600
# The committed seeds (Fuzz/Corpus/TARGET) are copied into a working corpus under .build-fuzz-out
# (not .build-fuzz: SwiftPM empties its scratch's artifacts/ on every build); crashes, leaks and
# timeouts go to .build-fuzz-out/artifacts/TARGET, the log to .build-fuzz-out/logs/TARGET.log.
# Prints one summary line: runs, exec/s, cov, ft, corpus, findings.
# FUZZ_ARGS adds libFuzzer flags. Exits non-zero when the fuzzer found something.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh TARGET [SECONDS]}
seconds=${2:-600}
binary=.build-fuzz/release/Fuzz$target
[ -x "$binary" ] || bash scripts/fuzz-build.sh "$target"
work=.build-fuzz-out/corpus/$target
artifacts=.build-fuzz-out/artifacts/$target
log=.build-fuzz-out/logs/$target.log
mkdir -p "$work" "$artifacts" "$(dirname "$log")"
[ -d "Fuzz/Corpus/$target" ] && cp -n Fuzz/Corpus/$target/* "$work"/ 2>/dev/null || true
dict=()
[ -f "Fuzz/Dictionaries/$target.dict" ] && dict=(-dict="Fuzz/Dictionaries/$target.dict")
status=0
SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} nice -n 10 "$binary" "$work" "${dict[@]}" -max_total_time="$seconds" \
  -timeout=10 -rss_limit_mb=2048 -max_len=${MAX_LEN:-8192} -artifact_prefix="$artifacts/" -print_final_stats=1 \
  ${FUZZ_ARGS:-} >"$log" 2>&1 || status=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
last=$(grep -E '^#[0-9]+.*cov:' "$log" | tail -1 || true)
cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$last")
ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9A-Za-z]*\).*/\1/p' <<<"$last")
findings=$(find "$artifacts" -type f 2>/dev/null | wc -l)
printf '%-12s seconds=%-5s runs=%-10s exec/s=%-7s cov=%-6s ft=%-6s corpus=%-10s findings=%s status=%s\n' \
  "$target" "$seconds" "${runs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$findings" "$status"
[ "$status" -eq 0 ]
