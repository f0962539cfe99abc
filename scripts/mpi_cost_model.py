#!/usr/bin/env python3
"""Step time of data-parallel `s2s train` on N nodes, from two measured figures.

    T(N) = C / N + R(N),   R(N) = 2 (N − 1)/N · G / W + 2 (N − 1) · a

C: compute seconds of one global batch on one node (s2s bench train, 1 process, all its
threads); G: gradient bytes per step (allreduce_mb of bench train); W: link bandwidth; a: one
message's latency. R is a ring allreduce (what Open MPI uses for large messages: every node
sends and receives 2 (N − 1)/N · G). Tokens/s = B / T(N). With overlap, the part of R that fits
under the backward pass (a fraction `backward` of C/N) is hidden: T = C/N + max(0, R − backward·C/N).

    scripts/mpi_cost_model.py --compute-ms 483 --batch-tokens 1280 --gradient-mb 57.9
"""
import argparse

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument("--compute-ms", type=float, required=True, help="compute ms per global batch on one node")
p.add_argument("--batch-tokens", type=float, required=True, help="target tokens per global batch")
p.add_argument("--gradient-mb", type=float, required=True, help="gradient MB per step (fp32)")
p.add_argument("--latency-us", type=float, default=20.0, help="per-message latency (µs)")
p.add_argument("--backward", type=float, default=0.55, help="share of compute that is backward (for overlap)")
args = p.parse_args()

links = {"1 Gbit/s": 1e9 / 8, "10 Gbit/s": 10e9 / 8, "100 Gbit/s": 100e9 / 8}
nodes = [1, 2, 4, 8, 16, 32, 64]


def step(n, bw, accumulate=1, compression=1.0, overlap=False):
    c = args.compute_ms / 1e3 * accumulate / n
    g = args.gradient_mb * 1e6 * compression
    r = 0.0 if n == 1 else 2 * (n - 1) / n * g / bw + 2 * (n - 1) * args.latency_us * 1e-6
    if overlap:
        r = max(0.0, r - args.backward * c)
    return c + r


def table(title, **kw):
    tokens = args.batch_tokens * kw.get("accumulate", 1)
    print(f"\n{title}: tokens/s (speedup over 1 node)")
    print("| link | " + " | ".join(f"N={n}" for n in nodes) + " | adding nodes stops paying at |")
    print("|---|" + "---|" * len(nodes) + "---|")
    for name, bw in links.items():
        base = tokens / step(1, bw, **kw)
        cells, knee = [], None
        for i, n in enumerate(nodes):
            t = tokens / step(n, bw, **kw)
            cells.append(f"{t / 1e3:.1f}k ({t / base:.1f}×)")
            if knee is None and i > 0:
                prev = tokens / step(nodes[i - 1], bw, **kw)
                if t < 1.15 * prev:   # doubling the nodes gains less than 15 %
                    knee = nodes[i - 1]
        print(f"| {name} | " + " | ".join(cells) + f" | {'N = %d' % knee if knee else '> 64'} |")


table("fp32 gradients, one batch per step")
table("--accumulate 4", accumulate=4)
table("--gradient-compression bf16", compression=0.5)
table("overlap of the allreduce with the backward pass (model)", overlap=True)
