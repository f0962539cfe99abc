#!/usr/bin/env python3
"""Generate Tests/S2SEvalTests/Fixtures/moses/expected.json with sacremoses 0.2.0 and sacrebleu 2.6.0.

    python3 -m venv /tmp/smvenv && /tmp/smvenv/bin/pip install sacremoses==0.2.0 sacrebleu==2.6.0
    /tmp/smvenv/bin/python scripts/make_moses_fixtures.py [--corpus DIR]

With --corpus (a Multi30k folder holding val.en/.de/.fr/.cs) it first copies the first 300 lines
of val.en, val.fr and val.cs into the fixtures (German comes from Fixtures/sacrebleu/ref.de, the
whole val.de). Then, over those lines and the hand-made hard cases in hard.txt, it records for
each language what sacremoses makes of every line:
  normalized: MosesPunctNormalizer(lang).normalize(line)
  tokenized:  MosesTokenizer(lang).tokenize(line, escape=False, return_str=True)
  paper:      tokenize(normalize(line).lower()), the papers' preprocessing
and the BLEU of sacrebleu.corpus_bleu(hyps, [refs], tokenize='none') on the paper-processed
lines: German for the four system outputs in Fixtures/sacrebleu, the other languages for
hypotheses made from the references by a fixed edit (every third line loses its fourth word and
its last two characters are swapped; every fifth is uppercased) so that scores are neither 0
nor 100.
"""
import argparse
import json
import os
import shutil

import sacrebleu
import sacremoses
from sacremoses import MosesPunctNormalizer, MosesTokenizer

assert sacremoses.__version__ == "0.2.0", sacremoses.__version__
assert sacrebleu.__version__ == "2.6.0", sacrebleu.__version__

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "..", "Tests", "S2SEvalTests", "Fixtures")
MOSES = os.path.join(FIX, "moses")
VAL_LANGS = ["en", "fr", "cs"]
# The hard cases go through every Multi30k language, the languages with their own rules
# (it, es; zh, ja for the CJK letters), one with another script (ru) and one Moses has no
# prefix list for (xx: the generic fallback).
HARD_LANGS = ["en", "de", "fr", "cs", "it", "es", "ru", "zh", "ja", "xx"]
LINES = 300


def read_lines(path):
    with open(path, encoding="utf-8", newline="\n") as f:
        return f.read().split("\n")[:-1]


def copy_val(corpus):
    for lang in VAL_LANGS:
        lines = read_lines(os.path.join(corpus, f"val.{lang}"))[:LINES]
        with open(os.path.join(MOSES, f"val.{lang}"), "w", encoding="utf-8", newline="\n") as f:
            f.write("".join(line + "\n" for line in lines))


def paper(normalizer, tokenizer, line):
    return tokenizer.tokenize(normalizer.normalize(line).lower(), escape=False, return_str=True)


def process(lang, lines):
    normalizer, tokenizer = MosesPunctNormalizer(lang), MosesTokenizer(lang)
    return {
        "normalized": [normalizer.normalize(line) for line in lines],
        "tokenized": [tokenizer.tokenize(line, escape=False, return_str=True) for line in lines],
        "paper": [paper(normalizer, tokenizer, line) for line in lines],
    }


def edited(lines):
    out = []
    for i, line in enumerate(lines):
        if i % 3 == 0:
            words = line.split(" ")
            if len(words) > 4:
                del words[3]
            line = " ".join(words)
            if len(line) >= 2:
                line = line[:-2] + line[-1] + line[-2]
        if i % 5 == 0:
            line = line.upper()
        out.append(line)
    return out


def bleu(lang, hyps, refs):
    normalizer, tokenizer = MosesPunctNormalizer(lang), MosesTokenizer(lang)
    h = [paper(normalizer, tokenizer, x) for x in hyps]
    r = [paper(normalizer, tokenizer, x) for x in refs]
    b = sacrebleu.corpus_bleu(h, [r], tokenize="none", force=True)
    return {"score": b.score, "counts": b.counts, "totals": b.totals, "precisions": b.precisions, "bp": b.bp,
            "sys_len": b.sys_len, "ref_len": b.ref_len, "formatted": b.format()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", help="Multi30k folder to copy val lines from")
    args = parser.parse_args()
    if args.corpus:
        copy_val(args.corpus)
    hard = read_lines(os.path.join(MOSES, "hard.txt"))
    expected = {"sacremoses_version": sacremoses.__version__, "sacrebleu_version": sacrebleu.__version__,
                "val": {}, "hard": {}, "bleu": {}}
    ref_de = read_lines(os.path.join(FIX, "sacrebleu", "ref.de"))
    expected["val"]["de"] = process("de", ref_de)
    for name in ["heavy", "light", "punct_unicode", "with_empty"]:
        hyps = read_lines(os.path.join(FIX, "sacrebleu", f"hyp.{name}.de"))
        expected["bleu"][f"de.{name}"] = bleu("de", hyps, ref_de)
    for lang in VAL_LANGS:
        refs = read_lines(os.path.join(MOSES, f"val.{lang}"))
        expected["val"][lang] = process(lang, refs)
        expected["bleu"][f"{lang}.edited"] = bleu(lang, edited(refs), refs)
    for lang in HARD_LANGS:
        expected["hard"][lang] = process(lang, hard)
    path = os.path.join(MOSES, "expected.json")
    with open(path + ".tmp", "w", encoding="utf-8", newline="\n") as f:
        json.dump(expected, f, ensure_ascii=False, indent=1)
        f.write("\n")
    os.replace(path + ".tmp", path)
    print(f"wrote {os.path.relpath(path)}")


if __name__ == "__main__":
    main()
