#!/usr/bin/env bash
# The test suite under sanitizers (`make sanitize`):
#   1. every test under AddressSanitizer (Swift and C) with UndefinedBehaviorSanitizer on the C
#      targets (trap mode: Swift's -sanitize=undefined does not exist on Linux, and Swift code
#      traps on overflow and out-of-bounds access by itself), scratch .build-asan; except the one
#      test that times itself (linear-time tokenizing of megabyte lines: ASan's 2–3× slowdown on a
#      busy machine is not what it checks);
#   2. the threaded kernels (S2SNumericsTests: OpenMP-parallel GEMM, cells, softmax, Adam, the
#      engine thread count the thread advisor sets) under ThreadSanitizer, scratch .build-tsan.
#      libgomp is not instrumented, so its own synchronization is invisible to TSan:
#      ignore_noninstrumented_modules keeps its internals out of reports.
# SANITIZE=asan or SANITIZE=tsan runs one of the two. Each prints its wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
which=${SANITIZE:-all}
export SWIFT_BACKTRACE=enable=no
if [ "$which" = all ] || [ "$which" = asan ]; then
  start=$(date +%s)
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:halt_on_error=1} \
    swift test --scratch-path .build-asan --sanitize=address \
      -Xcc -fsanitize=undefined -Xcc -fsanitize-trap=undefined ${ASAN_FILTER:+--filter "$ASAN_FILTER"} \
      --skip megabyteLinesTokenizeInLinearTime
  echo "sanitize: ASan+UBSan suite passed in $(( $(date +%s) - start )) s" >&2
fi
if [ "$which" = all ] || [ "$which" = tsan ]; then
  start=$(date +%s)
  TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:ignore_noninstrumented_modules=1} \
    swift test --scratch-path .build-tsan --sanitize=thread --filter "${TSAN_FILTER:-S2SNumericsTests}"
  echo "sanitize: TSan on ${TSAN_FILTER:-S2SNumericsTests} passed in $(( $(date +%s) - start )) s" >&2
fi
