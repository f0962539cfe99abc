#!/usr/bin/env python3
"""`make bench`: the README's speed tables rebuilt on the machine at hand.

s2s (the release build) against bench/torch_seq2seq.py (our PyTorch reference of the same model)
for training and decoding, against sacremoses + subword-nmt and sacrebleu for the text stages,
against Python's sqlite3 for corpus import; the programs alternated for ROUNDS rounds, medians
with [min–max]. The CPU (lscpu's model name, family, model) and `uptime` head the report, with
bench/check_reference.py's proof that the reference decodes s2s's shipped model as s2s does.

Run by `make bench` in the venv of `make bench-env`. Environment:
    ROUNDS=3            rounds per figure (BENCH_QUICK: 1)
    BENCH_QUICK=1       a smoke run of every table in minutes: fewer steps and sentences, threads 2
    BENCH_THREADS=1,2   thread counts for train and decode
    BENCH_TABLES=train,decode,text,corpus,quality
    BENCH_OUT=DIR       where report.md and runs.jsonl go (default .build/bench/UTC-TIMESTAMP)
    S2S=PATH            the s2s binary (default .build/release/s2s)
The report goes to stdout and DIR/report.md, progress to stderr.
"""
import os, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from bench_runner import (Recorder, alternate, cell, command_output, cpu_description, log, median,  # noqa: E402
                          number_after, ratio, table, uptime)

QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
ROUNDS = int(os.environ.get("ROUNDS", "1" if QUICK else "3"))
THREADS = [int(t) for t in os.environ.get("BENCH_THREADS", "2" if QUICK else "1,2").split(",")]
TABLES = os.environ.get("BENCH_TABLES", "train,decode,text,corpus,quality").split(",")
# Every program runs in the repository's root (main() goes there), so paths below are relative.
S2S = os.path.abspath(os.environ.get("S2S", os.path.join(ROOT, ".build/release/s2s")))
REFERENCE = "bench/torch_seq2seq.py"
M30K = "corpora/multi30k"
SIZES = {
    "small": "--src-vocab 8000 --tgt-vocab 8000 --emb 256 --hidden 256 --batch 64 --src-len 20 --tgt-len 20",
    "medium": "--src-vocab 16000 --tgt-vocab 16000 --emb 512 --hidden 512 --batch 64 --src-len 30 --tgt-len 30",
}
TRAIN_STEPS = ["--steps", "2", "--warmup", "1"] if QUICK else ["--steps", "10", "--warmup", "3"]
DECODE_SENTS = ["--decode-sents", "32" if QUICK else "64"]
DECODE_KEYS = ["greedy_b1", "beam5_b1", "greedy_b32", "beam5_b32"]
# Each s2s program is one --precision; `auto` is the default, the others show what it chose from.
TRAIN_PROGRAMS = ["PyTorch", "s2s fp32", "s2s bf16", "s2s auto"]
DECODE_PROGRAMS = TRAIN_PROGRAMS


def model_command(kind, name, size, threads, extra):
    """`s2s bench train|decode` or the reference's bench-train|bench-decode, same flags."""
    common = [*SIZES[size].split(), "--threads", str(threads), *extra]
    if name == "PyTorch":
        return [sys.executable, REFERENCE, f"bench-{kind}", *common]
    return [S2S, "bench", kind, *common, "--precision", name.split()[-1]]


def run_models(rec, kind, extra, programs):
    """Train or decode runs for every size and thread count; returns {(size, t, program): [results]}."""
    for size in SIZES:
        for t in THREADS:
            def one(name, r):
                result = rec.json_run((kind, size, t, name), model_command(kind, name, size, t, extra))
                want = name.split()[-1]
                if name.startswith("s2s") and result.get("precision") != want:
                    result["skip"] = f"ran as {result.get('precision')}: no {want} on this CPU"
                log(f"[{kind} {size} t{t} round {r + 1}/{ROUNDS}] {name}: " +
                    (result.get("skip") or summary(kind, result)) + (f" [{result['plan']}]" if "plan" in result else ""))
            alternate(ROUNDS, programs, one)


def summary(kind, result):
    if kind == "train":
        return f"{result['tgt_tokens_per_s']:.0f} tgt tok/s"
    return " ".join(f"{k} {result[k + '_sent_per_s']:.1f}" for k in DECODE_KEYS if k + "_sent_per_s" in result)


def figures(rec, key, field):
    return [r[field] for r in rec.results.get(key, []) if "skip" not in r and field in r]


def columns(programs):
    """The header: PyTorch, then each s2s program with its ratio to PyTorch."""
    head = ["PyTorch"]
    for name in programs[1:]:
        head += [name, "ratio"]
    return head


def figure_cells(rec, key, field, programs, digits):
    f = {n: figures(rec, key + (n,), field) for n in programs}
    cells = [cell(f["PyTorch"], digits)]
    for name in programs[1:]:
        cells += [cell(f[name], digits), ratio(median(f[name]), median(f["PyTorch"]))]
    return cells


def plans(rec, kind, programs):
    """What `auto` resolved to, as the runs reported it (one line per distinct plan)."""
    seen = sorted({r["plan"] for key, runs in rec.results.items() if key[0] == kind and key[-1] == "s2s auto"
                   for r in runs if "plan" in r})
    return ("\n\n`--precision auto` ran as: " + "; ".join(seen) + ".") if seen and "s2s auto" in programs else ""


def train_table(rec):
    run_models(rec, "train", TRAIN_STEPS, TRAIN_PROGRAMS)
    rows = [[size, t] + figure_cells(rec, ("train", size, t), "tgt_tokens_per_s", TRAIN_PROGRAMS, 0)
            for size in SIZES for t in THREADS]
    return ("**Training throughput**, target tokens/s (`s2s bench train` vs `bench/torch_seq2seq.py bench-train`, "
            f"same flags `{' '.join(TRAIN_STEPS)}`, random tokens, scheduled sampling on, Adam, clipping):\n\n" +
            table(["size", "threads"] + columns(TRAIN_PROGRAMS), rows) + plans(rec, "train", TRAIN_PROGRAMS))


def decode_table(rec):
    run_models(rec, "decode", DECODE_SENTS, DECODE_PROGRAMS)
    rows = []
    for size in SIZES:
        for t in THREADS:
            for k in DECODE_KEYS:
                search, batch = k.split("_b")
                rows.append([size, t, f"{'beam 5' if search == 'beam5' else search}, {batch}"] +
                            figure_cells(rec, ("decode", size, t), k + "_sent_per_s", DECODE_PROGRAMS, 1))
    return ("**Decoding throughput**, sentences/s (`s2s bench decode` vs `bench/torch_seq2seq.py bench-decode`, "
            f"`{' '.join(DECODE_SENTS)}`, random model, every sentence exactly tgt-len tokens):\n\n" +
            table(["size", "threads", "search, batch"] + columns(DECODE_PROGRAMS), rows) +
            plans(rec, "decode", DECODE_PROGRAMS))


def text_table(rec, scratch):
    # (1) tokenize + BPE, alternated inside `s2s bench text` with sacremoses + subword-nmt.
    log(f"[text] s2s bench text --runs {ROUNDS} (alternating with sacremoses + subword-nmt)")
    report = subprocess.run([S2S, "bench", "text", "--runs", str(ROUNDS), "--python", sys.executable,
                             "--input", f"{M30K}/train.en", "--learn-tgt", f"{M30K}/train.de",
                             "--script", "scripts/bench_text.py",
                             "--peer-codes", os.path.join(scratch, "peer.codes")],
                            capture_output=True, text=True)
    if report.returncode != 0:
        sys.exit(f"bench: s2s bench text failed:\n{report.stderr[-2000:]}")
    text = report.stdout
    ours = number_after(r"→ pieces:.*?(\d[\d,]*) pieces/s", text)
    peer = number_after(r"sacremoses \+ subword-nmt:.*?(\d[\d,]*) pieces/s", text)
    rows = [["tokenize + BPE, pieces/s (one thread, Multi30k train.en)", f"{ours:,.0f}" if ours else "–",
             f"{peer:,.0f}" if peer else "–", ratio(ours, peer)]]
    # (2) learning 8000 BPE merges, both command lines on the same words (split at spaces).
    joint = os.path.join(scratch, "joint.txt")
    with open(joint, "w") as out:
        for side in ("en", "de"):
            with open(f"{M30K}/train.{side}") as f:
                out.write(f.read())
    codes = {n: os.path.join(scratch, f"codes.{n.split()[0]}") for n in ("s2s", "subword-nmt")}
    learn = {"s2s": [S2S, "vocab", "learn-bpe", "-s", "8000", "-i", joint, "-o", codes["s2s"]],
             "subword-nmt": [sys.executable, "-m", "subword_nmt.learn_bpe", "-s", "8000", "-i", joint,
                             "-o", codes["subword-nmt"]]}
    alternate(ROUNDS, list(learn), lambda n, r: log(f"[text learn-bpe round {r + 1}] {n}: "
              f"{rec.timed_run(('text', 'learn', n), learn[n])['seconds']:.2f} s"))
    same = open(codes["s2s"], "rb").read() == open(codes["subword-nmt"], "rb").read()
    s, p = (rec.values(("text", "learn", n), "seconds") for n in learn)
    rows.append([f"learn 8000 BPE merges on train.en + train.de, s (process wall; codes identical: "
                 f"{'yes' if same else 'NO'})", cell(s, 2), cell(p, 2), ratio(median(p), median(s))])
    # (3) BLEU + chrF of 1014 greedy translations, s2s evaluate against the sacrebleu command.
    hyp = os.path.join(scratch, "val.hyp")
    with open(f"{M30K}/val.en") as src, open(hyp, "w") as out:
        subprocess.run([S2S, "translate", "--model", "models/default", "--greedy"],
                       stdin=src, stdout=out, stderr=subprocess.DEVNULL, check=True)
    score = {"s2s": [S2S, "evaluate", "--hyp", hyp, "--ref", f"{M30K}/val.de"],
             "sacrebleu": [sys.executable, "-m", "sacrebleu", f"{M30K}/val.de", "-i", hyp, "-m", "bleu", "chrf",
                           "-f", "text"]}
    alternate(ROUNDS, list(score), lambda n, r: log(f"[text evaluate round {r + 1}] {n}: "
              f"{rec.timed_run(('text', 'evaluate', n), score[n])['seconds']:.2f} s"))
    lines = {n: [l.strip() for l in command_output(c).splitlines() if "|" in l] for n, c in score.items()}
    s, p = (rec.values(("text", "evaluate", n), "seconds") for n in score)
    rows.append([f"BLEU + chrF of 1014 lines, s (process wall; same scores and signatures: "
                 f"{'yes' if lines['s2s'] == lines['sacrebleu'] else 'NO'})", cell(s, 2), cell(p, 2),
                 ratio(median(p), median(s))])
    return ("**Text stages** (`s2s bench text`, `s2s vocab learn-bpe`, `s2s evaluate` against sacremoses + "
            "subword-nmt 0.3.8 and sacrebleu 2.6.0; ratios are s2s's speed over the tool's):\n\n" +
            table(["stage", "s2s", "Python tool", "ratio"], rows) +
            "\n\n`s2s bench text` reported:\n\n```\n" + text.rstrip() + "\n```")


def corpus_table(rec):
    stream = "100000" if QUICK else "1000000"
    log(f"[corpus] s2s bench corpus --runs {ROUNDS} --stream-pairs {stream}")
    done = subprocess.run([S2S, "bench", "corpus", "--runs", str(ROUNDS), "--stream-pairs", stream,
                           "--multi30k", M30K, "--python", sys.executable], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"bench: s2s bench corpus failed:\n{done.stderr[-2000:]}")
    out = done.stdout
    rec.record(("corpus",), {"report": out})
    ours = number_after(r"import multi30k[^\n]*?= (\d+) pairs/s", out)
    peer = number_after(r"reference, Python sqlite3[^\n]*?= (\d+) pairs/s", out)
    pairs = number_after(r"import multi30k[^:]*: (\d+) pairs", out, int)
    rows = [[f"Multi30k en–de train, {pairs} pairs" if pairs else "Multi30k en–de train",
             f"{ours:,.0f}" if ours else "–", f"{peer:,.0f}" if peer else "–", ratio(ours, peer)]]
    return ("**Corpus import**, pairs/s (`s2s bench corpus` against Python's sqlite3 `executemany` in one "
            "transaction, same table and index):\n\n" + table(["import", "s2s", "Python sqlite3", "ratio"], rows) +
            "\n\n`s2s bench corpus` reported:\n\n```\n" + out.rstrip() + "\n```")


def quality_table(rec):
    log("[quality] scripts/bleu_grid.sh (models/default on the Multi30k validation split)")
    done = subprocess.run(["bash", "scripts/bleu_grid.sh"], capture_output=True, text=True,
                          env=dict(os.environ, S2S=S2S))
    if done.returncode != 0:
        sys.exit(f"bench: scripts/bleu_grid.sh failed:\n{done.stderr[-2000:]}")
    rec.record(("quality",), {"report": done.stdout})
    return ("**Decoding quality** (`scripts/bleu_grid.sh`: models/default on the Multi30k validation split, "
            "1014 sentences; seconds are wall time of one `s2s translate`):\n\n" + done.stdout.rstrip())


def main():
    os.chdir(ROOT)
    if not os.access(S2S, os.X_OK):
        sys.exit(f"bench: no s2s binary at {S2S}: run `make release` (or set S2S)")
    try:
        import torch
    except ImportError:
        sys.exit(f"bench: {sys.executable} has no PyTorch: run `make bench-env` and use .build/bench-venv/bin/python")
    unknown = set(TABLES) - {"train", "decode", "text", "corpus", "quality"}
    if unknown:
        sys.exit(f"bench: BENCH_TABLES: unknown table(s) {', '.join(sorted(unknown))}")
    out_dir = os.environ.get("BENCH_OUT") or os.path.join(".build/bench", time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()))
    rec = Recorder(out_dir)
    version = " · ".join(command_output([S2S, "--version"]).splitlines())
    head = [f"CPU: {cpu_description()}", f"s2s: {version}; PyTorch {torch.__version__} "
            f"(bench/torch_seq2seq.py), Python {sys.version.split()[0]}",
            f"{'QUICK smoke run (BENCH_QUICK=1): figures not fit to quote; ' if QUICK else ''}"
            f"{ROUNDS} round(s), programs alternated; threads {','.join(map(str, THREADS))}",
            f"start: {uptime()}"]
    # The tables mean something only if the reference is s2s's model: decode the shipped model with both.
    log("[reference] bench/check_reference.py: models/default decoded by the reference and by s2s")
    check = subprocess.run([sys.executable, "bench/check_reference.py", "--s2s", S2S, "--lines", "32" if QUICK else "200"],
                           capture_output=True, text=True)
    if check.returncode != 0:
        sys.exit(f"bench: the reference does not decode as s2s does:\n{check.stdout}{check.stderr[-2000:]}")
    head.append("reference check (models/default, Multi30k valid): " + "; ".join(check.stdout.split("\n")[:2]))
    log("\n".join(head))
    sections = []
    with tempfile.TemporaryDirectory(prefix="s2s-bench-") as scratch:
        builders = {"train": lambda: train_table(rec), "decode": lambda: decode_table(rec),
                    "text": lambda: text_table(rec, scratch), "corpus": lambda: corpus_table(rec),
                    "quality": lambda: quality_table(rec)}
        for name in TABLES:
            start = time.time()
            sections.append(builders[name]())
            log(f"[{name}] done in {time.time() - start:.0f} s; {uptime()}")
    report = "\n".join(f"{line}  " for line in head) + "\n\n" + "\n\n".join(sections) + f"\n\nend: {uptime()}\n"
    with open(os.path.join(out_dir, "report.md"), "w") as f:
        f.write(report)
    print(report)
    log(f"bench: report in {os.path.join(out_dir, 'report.md')}, every run in {rec.path}")


if __name__ == "__main__":
    main()
