#!/usr/bin/env python3
"""Decoding speed, s2s against the PyTorch reference, side by side in one run.

For every size × thread count, runs `s2s bench decode` (fp32 and bf16) and
`torch_seq2seq.py bench-decode` with the same flags, alternating the programs
for ROUNDS rounds, and prints medians, ranges and s2s/PyTorch ratios as a
Markdown table (raw JSON lines go to --out).

Usage (release build; the venv of `make bench-env`, whose Python runs the PyTorch reference
bench/torch_seq2seq.py; `make bench` runs this table and the others):
    .build/bench-venv/bin/python scripts/bench_decode.py --rounds 3

The machine is shared: before each run the script waits (up to --max-wait s)
until other processes use less than --quiet of the CPUs, and records what it saw.
"""
import argparse, json, os, statistics, subprocess, sys, time

SIZES = {
    "small": "--src-vocab 8000 --tgt-vocab 8000 --emb 256 --hidden 256 --batch 64 --src-len 20 --tgt-len 20",
    "medium": "--src-vocab 16000 --tgt-vocab 16000 --emb 512 --hidden 512 --batch 64 --src-len 30 --tgt-len 30",
}
KEYS = ["greedy_b1_sent_per_s", "beam5_b1_sent_per_s", "greedy_b32_sent_per_s", "beam5_b32_sent_per_s"]


def busy_fraction(seconds=1.0):
    """CPU busy fraction of the whole machine over `seconds` (nothing of ours runs meanwhile)."""
    def sample():
        with open("/proc/stat") as f:
            v = list(map(int, f.readline().split()[1:]))
        idle = v[3] + v[4]
        return sum(v) - idle, sum(v)
    b0, t0 = sample(); time.sleep(seconds); b1, t1 = sample()
    return (b1 - b0) / max(1, t1 - t0)


def wait_quiet(limit, max_wait):
    start = time.time()
    busy = busy_fraction()
    while busy > limit and time.time() - start < max_wait:
        busy = busy_fraction(2.0)
    return busy


def run(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--s2s", default=os.path.join(root, ".build/release/s2s"))
    p.add_argument("--torch-script", default=os.path.join(root, "bench/torch_seq2seq.py"),
                   help="the PyTorch reference (default: the repository's bench/torch_seq2seq.py)")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--sizes", default="small,medium")
    p.add_argument("--threads", default="1,2")
    p.add_argument("--decode-sents", type=int, default=64)
    p.add_argument("--quiet", type=float, default=0.1, help="wait until the machine's busy fraction is below this")
    p.add_argument("--max-wait", type=float, default=120)
    p.add_argument("--out", default="decode_bench.jsonl")
    args = p.parse_args()
    try:
        import torch  # noqa: F401  (the reference runs in this same Python)
    except ImportError:
        sys.exit(f"bench_decode: {sys.executable} has no PyTorch: run `make bench-env` and use .build/bench-venv/bin/python")

    programs = {
        "torch": lambda size, t: [sys.executable, args.torch_script, "bench-decode", *SIZES[size].split(),
                                  "--threads", str(t), "--decode-sents", str(args.decode_sents)],
        "s2s fp32": lambda size, t: [args.s2s, "bench", "decode", *SIZES[size].split(), "--threads", str(t),
                                     "--decode-sents", str(args.decode_sents), "--precision", "fp32"],
        "s2s bf16": lambda size, t: [args.s2s, "bench", "decode", *SIZES[size].split(), "--threads", str(t),
                                     "--decode-sents", str(args.decode_sents), "--precision", "bf16"],
        "s2s int8": lambda size, t: [args.s2s, "bench", "decode", *SIZES[size].split(), "--threads", str(t),
                                     "--decode-sents", str(args.decode_sents), "--precision", "int8"],
    }
    results = {}
    with open(args.out, "a") as log:
        for size in args.sizes.split(","):
            for t in map(int, args.threads.split(",")):
                for r in range(args.rounds):
                    # Alternate the order each round so neither program always runs first.
                    order = list(programs) if r % 2 == 0 else list(reversed(programs))
                    for name in order:
                        load = wait_quiet(args.quiet, args.max_wait)
                        res = run(programs[name](size, t))
                        # s2s falls back to fp32 (with a notice) where the CPU has no bf16 (VNNI for int8): a
                        # column labelled bf16 must not hold fp32 figures.
                        want = name.split()[-1]
                        if name.startswith("s2s") and res.get("precision") != want:
                            sys.exit(f"{name}: ran as {res.get('precision')}; this CPU cannot run the {want} column")
                        res.update(program=name, size=size, round=r, busy_before=round(load, 3))
                        log.write(json.dumps(res) + "\n"); log.flush()
                        results.setdefault((size, t, name), []).append(res)
                        print(f"{size} t{t} r{r} {name:8s} busy {load:.0%} " +
                              " ".join(f"{res[k]:.1f}" for k in KEYS), file=sys.stderr)

    print("| size | threads | run | PyTorch | s2s fp32 | ratio | s2s bf16 | ratio | s2s int8 | ratio |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for size in args.sizes.split(","):
        for t in map(int, args.threads.split(",")):
            for k in KEYS:
                med = {n: statistics.median(x[k] for x in results[(size, t, n)]) for n in programs}
                rng = {n: (min(x[k] for x in results[(size, t, n)]), max(x[k] for x in results[(size, t, n)]))
                       for n in programs}
                cell = lambda n: f"{med[n]:.1f} [{rng[n][0]:.1f}–{rng[n][1]:.1f}]"
                print(f"| {size} | {t} | {k.replace('_sent_per_s', '')} | {cell('torch')} | {cell('s2s fp32')} | "
                      f"{med['s2s fp32'] / med['torch']:.2f}× | {cell('s2s bf16')} | {med['s2s bf16'] / med['torch']:.2f}× | "
                      f"{cell('s2s int8')} | {med['s2s int8'] / med['torch']:.2f}× |")


if __name__ == "__main__":
    main()
