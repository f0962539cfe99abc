#!/usr/bin/env python3
"""Peer side of `s2s bench text`: sacremoses tokenization + subword-nmt apply_bpe on the same text.

Prints one JSON object per run: {"seconds": .., "pieces": .., "lines": ..}. Only the tokenize+BPE
loop is timed (imports, file reading and learning the codes are not). With --codes PATH missing, the
codes are first learned (subword-nmt learn_bpe, --merges symbols, on the sacremoses-tokenized input)
and saved there, so later runs reuse them.

Needs sacremoses and subword-nmt: `pip install sacremoses==0.2.0 subword-nmt==0.3.8` (in a venv).
"""
import argparse, io, json, os, sys, tempfile, time

from sacremoses import MosesTokenizer
from subword_nmt.apply_bpe import BPE
from subword_nmt.learn_bpe import learn_bpe


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--input", required=True)
    p.add_argument("--lang", default="en")
    p.add_argument("--codes", required=True, help="codes file; learned and written if missing")
    p.add_argument("--merges", type=int, default=8000)
    p.add_argument("--runs", type=int, default=1)
    a = p.parse_args()

    with open(a.input, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()

    if not os.path.exists(a.codes):
        mt = MosesTokenizer(lang=a.lang)
        tokenized = "".join(" ".join(mt.tokenize(l, escape=False)) + "\n" for l in lines)
        out = io.StringIO()
        learn_bpe(io.StringIO(tokenized), out, a.merges)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(a.codes)))
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(out.getvalue())
        os.replace(tmp, a.codes)

    for _ in range(a.runs):
        with open(a.codes, encoding="utf-8") as codes:
            start = time.perf_counter()
            mt = MosesTokenizer(lang=a.lang)  # fresh tokenizer and BPE cache each run, like the s2s side
            bpe = BPE(codes)
            pieces = 0
            for line in lines:
                pieces += len(bpe.segment_tokens(mt.tokenize(line, escape=False)))
            seconds = time.perf_counter() - start
        print(json.dumps({"seconds": seconds, "pieces": pieces, "lines": len(lines)}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
