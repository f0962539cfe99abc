#!/usr/bin/env python3
"""The PyTorch reference of `s2s bench train` and `s2s bench decode`: the same model (docs/MODEL.md's
default, bench/reference_model.py), the same flags, the same workload and one JSON line with the
same keys, so that one command line runs against either program.

    python bench/torch_seq2seq.py bench-train  [size flags] [--threads N] [--steps N] [--warmup N]
    python bench/torch_seq2seq.py bench-decode [size flags] [--threads N] [--decode-sents N]

bench-train: random tokens (ids >= 4), every sentence full length; scheduled sampling with
gold probability k / (k + exp(i / k)) at step i (k = --ss-k, 0 = teacher forcing); cross-entropy
over the target tokens, Adam, gradient norm clipped at 1. The median of --steps timed steps after
--warmup untimed ones; target tokens/s = batch x tgt-len / median.

bench-decode: random sources of --src-len tokens; every sentence decodes exactly --tgt-len tokens
(</s> forbidden until then); greedy and beam --beam at batch 1 over --decode-sents sentences and
at batch 32 over --decode-sents / 32 batches, each after one untimed warm-up call.

Runs in the venv of `make bench-env` (bench/requirements.txt). Progress goes to stderr, the JSON
line to stdout.
"""
import argparse, json, math, os, resource, statistics, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from reference_model import BOS, PAD, ReferenceSeq2Seq  # noqa: E402
from reference_search import beam, greedy  # noqa: E402

# s2s flags for what the reference does not implement: accepted at the default model's values only.
S2S_ONLY_CHOICES = {"enc_cell": "lstm", "dec_cell": "gru", "dec_layers": 1}


def positive(v):
    n = int(v)
    if n <= 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {v}")
    return n


def arguments(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("mode", choices=["bench-train", "bench-decode"])
    # ReferenceModelSize's flags (Sources/s2s/ReferenceModelSize.swift).
    p.add_argument("--src-vocab", type=positive, default=8000)
    p.add_argument("--tgt-vocab", type=positive, default=8000)
    p.add_argument("--emb", type=positive, default=256)
    p.add_argument("--hidden", type=positive, default=256, help="encoder state per direction")
    p.add_argument("--dec-hidden", type=int, default=0, help="decoder state (0 = --hidden)")
    p.add_argument("--att-dim", type=int, default=0, help="attention size (0 = decoder state)")
    p.add_argument("--layers", "--enc-layers", type=positive, default=1, help="encoder layers")
    p.add_argument("--enc-cell", default="lstm")
    p.add_argument("--dec-cell", default="gru")
    p.add_argument("--dec-layers", type=positive, default=1)
    p.add_argument("--residual", action="store_true")
    p.add_argument("--src-len", type=positive, default=20)
    # bench train and bench decode.
    p.add_argument("--batch", type=positive, default=64)
    p.add_argument("--tgt-len", type=positive, default=20)
    p.add_argument("--threads", type=int, default=0, help="intra-op threads (0 = PyTorch's default)")
    p.add_argument("--steps", type=positive, default=10, help="timed steps (bench-train)")
    p.add_argument("--warmup", type=int, default=3, help="untimed warm-up steps (bench-train)")
    p.add_argument("--precision", choices=["fp32", "bf16"], default="fp32",
                   help="bf16: torch.autocast on the CPU (bf16 matmuls, fp32 weights)")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--ss-k", type=float, default=1000.0, help="scheduled sampling k (0 = teacher forcing)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--decode-sents", type=positive, default=64)
    p.add_argument("--beam", type=positive, default=5)
    p.add_argument("--alpha", type=float, default=0.6)
    p.add_argument("--only", help="comma-separated from greedy_b1, beam_b1, greedy_b32, beam_b32")
    # s2s's flags for what only s2s does: refused by name rather than as unrecognized arguments.
    for flag in ("--train-src", "--train-tgt", "--valid-src", "--valid-tgt", "--model", "--src", "--gradient-compression"):
        p.add_argument(flag, dest=flag[2:].replace("-", "_"), help=argparse.SUPPRESS)
    for flag in ("--profile", "--cpu-time", "--no-overlap"):
        p.add_argument(flag, dest=flag[2:].replace("-", "_"), action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    for flag in ("train_src", "train_tgt", "valid_src", "valid_tgt", "model", "src", "gradient_compression",
                 "profile", "cpu_time", "no_overlap"):
        if getattr(a, flag):
            p.error(f"--{flag.replace('_', '-')}: s2s bench only (the reference times random tokens on a random model)")
    for name, value in S2S_ONLY_CHOICES.items():
        if getattr(a, name) != value:
            p.error(f"--{name.replace('_', '-')} {getattr(a, name)}: the reference implements the default "
                    "model only (lstm encoder, one gru decoder layer)")
    if a.residual:
        p.error("--residual: the reference implements the default model only")
    if a.src_vocab <= 4 or a.tgt_vocab <= 4:
        p.error("vocabularies need more than the 4 special tokens")
    if a.threads < 0 or a.warmup < 0 or a.dec_hidden < 0 or a.att_dim < 0:
        p.error("negative thread, warm-up or size count")
    return a


def random_tokens(shape, vocab):
    return torch.randint(4, vocab, shape)


def random_batch(a):
    """Sources [B, S], lengths [B], target input (<s> then gold) and output [B, T]."""
    src = random_tokens((a.batch, a.src_len), a.src_vocab)
    y = random_tokens((a.batch, a.tgt_len), a.tgt_vocab)
    tgt_in = torch.cat([torch.full((a.batch, 1), BOS), y[:, :-1]], 1)
    return src, torch.full((a.batch,), a.src_len), tgt_in, y


def gold_probability(step, k):
    return 1.0 if k <= 0 else k / (k + math.exp(min(step / k, 700.0)))


def build(a):
    return ReferenceSeq2Seq(a.src_vocab, a.tgt_vocab, a.emb, a.hidden, a.dec_hidden, a.att_dim, a.layers)


def parameter_count(model):
    return sum(p.numel() for p in model.parameters())


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_train(a):
    model = build(a)
    optimizer = torch.optim.Adam(model.parameters(), lr=a.lr)
    batches = [random_batch(a) for _ in range(a.warmup + a.steps)]
    times, loss = [], 0.0
    for i, (src, lengths, tgt_in, tgt_out) in enumerate(batches):
        start = time.perf_counter()
        own = (torch.rand(tgt_in.shape) >= gold_probability(i, a.ss_k)) & (tgt_in != PAD)
        optimizer.zero_grad(set_to_none=True)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=a.precision == "bf16"):
            logits = model(src, lengths, tgt_in, own)
        loss = F.cross_entropy(logits.float().reshape(-1, logits.size(-1)), tgt_out.reshape(-1), ignore_index=PAD)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        if i >= a.warmup:
            times.append(time.perf_counter() - start)
        print(f"bench-train: step {i + 1}/{a.warmup + a.steps} {1e3 * (time.perf_counter() - start):.0f} ms",
              file=sys.stderr)
    median = statistics.median(times)
    return {"mode": "bench-train", "precision": a.precision, "ms_per_step": round(median * 1e3, 1),
            "tgt_tokens_per_s": round(a.batch * a.tgt_len / median, 1), "peak_rss_mb": round(peak_rss_mb(), 1),
            "ms_per_step_mean": round(statistics.mean(times) * 1e3, 1), "last_loss": round(loss.item(), 3),
            "batch": a.batch, "params": parameter_count(model)}


def bench_decode(a):
    model = build(a).eval()
    selected = set(a.only.split(",")) if a.only else None
    result = {"mode": "bench-decode", "decode_len": a.tgt_len}
    for size, count in ((1, a.decode_sents), (32, max(1, a.decode_sents // 32))):
        data = [(random_tokens((size, a.src_len), a.src_vocab), torch.full((size,), a.src_len))
                for _ in range(count + 1)]
        for name, search in (("greedy", lambda s, n: greedy(model, s, n, a.tgt_len, a.tgt_len)),
                             ("beam", lambda s, n: beam(model, s, n, a.beam, a.alpha, a.tgt_len, a.tgt_len))):
            if selected is not None and f"{name}_b{size}" not in selected:
                continue
            with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=a.precision == "bf16"):
                search(*data[0])  # warm-up
                start = time.perf_counter()
                outputs = [o for s, n in data[1:] for o in search(s, n)]
                seconds = time.perf_counter() - start
            short = sum(len(o) != a.tgt_len for o in outputs)
            if short:
                sys.exit(f"bench-decode: {short} outputs were not {a.tgt_len} tokens long")
            key = f"greedy_b{size}_sent_per_s" if name == "greedy" else f"beam5_b{size}_sent_per_s"
            result[key] = round(size * count / seconds, 2)
            print(f"bench-decode: {key} {result[key]}", file=sys.stderr)
    result.update(precision=a.precision, beam=a.beam, alpha=a.alpha, params=parameter_count(model))
    return result


def main(argv=None):
    a = arguments(sys.argv[1:] if argv is None else argv)
    torch.manual_seed(a.seed)
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    result = bench_train(a) if a.mode == "bench-train" else bench_decode(a)
    result.update(threads=torch.get_num_threads(), emb=a.emb, hidden=a.hidden,
                  layers=a.layers, src_len=a.src_len, tgt_len=a.tgt_len, src_vocab=a.src_vocab,
                  tgt_vocab=a.tgt_vocab, torch=torch.__version__)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
