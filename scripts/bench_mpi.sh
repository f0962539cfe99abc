#!/usr/bin/env bash
# Data-parallel training throughput: `s2s bench train` as 1 process × 1 thread, 1 × 2 threads,
# 2 ranks × 1 thread on this host (shared memory) and 2 ranks × 1 thread on two network-namespace
# hosts (TCP, scripts/mpi-hosts.sh), alternated for ROUNDS rounds; prints the median of each and
# the allreduce's share. Extra arguments go to every `bench train` (e.g. --emb 512 --hidden 512,
# --gradient-compression bf16). Needs root for the namespace hosts (skipped otherwise).
#
#   scripts/bench_mpi.sh [ROUNDS] [bench train flags...]
#
# Release build first: swift build -c release. Check `uptime` first: the figures mean nothing on
# a busy machine.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
shift || true
S2S=$PWD/.build/release/s2s
[ -x "$S2S" ] || { echo "bench_mpi: build first: swift build -c release" >&2; exit 1; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
FLAGS=(bench train --steps 8 --warmup 2 "$@")
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

hosts=no
if [ "$(id -u)" -eq 0 ] && command -v ip >/dev/null; then
    scripts/mpi-hosts.sh status >/dev/null 2>&1 || scripts/mpi-hosts.sh up 2 >/dev/null 2>&1 || true
    scripts/mpi-hosts.sh status >/dev/null 2>&1 && hosts=yes
fi

echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(uptime | sed 's/.*load/load/')" >&2
for round in $(seq "$ROUNDS"); do
    echo "round $round/$ROUNDS" >&2
    "$S2S" "${FLAGS[@]}" --threads 1 >> "$OUT/1x1" 2>/dev/null
    "$S2S" "${FLAGS[@]}" --threads 2 >> "$OUT/1x2" 2>/dev/null
    mpirun --bind-to none -np 2 "$S2S" "${FLAGS[@]}" --threads 1 >> "$OUT/2x1" 2>/dev/null
    if [ $hosts = yes ]; then
        scripts/mpi-hosts.sh run -- "$S2S" "${FLAGS[@]}" --threads 1 2>/dev/null | grep '^{' >> "$OUT/2x1-hosts"
    fi
done

python3 - "$OUT" <<'PY'
import json, os, statistics, sys
out = sys.argv[1]
rows = [("1x1", "1 process × 1 thread"), ("1x2", "1 process × 2 threads"),
        ("2x1", "2 ranks × 1 thread, one host"), ("2x1-hosts", "2 ranks × 1 thread, 2 namespace hosts (TCP)")]
base = None
print("| run | target tok/s | ms/step | compute ms | allreduce ms | allreduce MB/step | efficiency vs 1×1 |")
print("|---|---|---|---|---|---|---|")
for key, name in rows:
    path = os.path.join(out, key)
    if not os.path.exists(path):
        continue
    runs = [json.loads(l) for l in open(path) if l.startswith("{")]
    med = lambda k: statistics.median(float(r[k]) for r in runs)
    tps = med("tgt_tokens_per_s")
    base = base or tps
    ranks = int(runs[0]["ranks"])
    eff = f"{100 * tps / (base * ranks * (2 if key == '1x2' else 1)):.0f} %" if key != "1x1" else "–"
    print(f"| {name} | {tps:.0f} | {med('ms_per_step'):.0f} | {med('compute_ms'):.0f} | {med('allreduce_ms'):.1f} | {med('allreduce_mb'):.1f} | {eff} |")
PY
