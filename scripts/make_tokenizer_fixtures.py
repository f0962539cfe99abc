#!/usr/bin/env python3
"""Generate Tests/S2SEvalTests/Fixtures/sacrebleu_tokenizers.json with sacrebleu 2.6.0.

The S2SEval tests compare s2s's BLEU tokenizers (13a, intl, zh, char, none) and chrF with these
numbers digit for digit, over the Japanese, Chinese, Thai, Korean and mixed-script
hypothesis/reference pairs in Tests/S2SEvalTests/Fixtures/languages (see the README there).

    make bench-env     # .build/bench-venv from bench/requirements.txt (sacrebleu 2.6.0, ...)
    .build/bench-venv/bin/python scripts/make_tokenizer_fixtures.py

It records, per language set and tokenizer: corpus BLEU (every field, the formatted line and
the signature), sentence BLEU (effective order, as `sacrebleu -sl`) and the tokenized lines;
per set, corpus and sentence chrF. Also the two Unicode facts the tokenizers rest on:
the `regex` module's \\p{P}/\\p{S}/\\p{N} classes over every code point Python's unicodedata
knows (which s2s takes from ICU), and the code points sacrebleu's `zh` treats as Chinese.
"""
import json
import os
import unicodedata

import regex
import sacrebleu
from sacrebleu.metrics import BLEU, CHRF
from sacrebleu.tokenizers.tokenizer_zh import TokenizerZh

assert sacrebleu.__version__ == "2.6.0", sacrebleu.__version__

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "..", "Tests", "S2SEvalTests", "Fixtures")
LANG = os.path.join(FIX, "languages")
SETS = ["ja", "zh", "th", "ko", "mixed"]
TOKENIZERS = ["13a", "intl", "zh", "char", "none"]


def read_lines(path):
    # Exactly as the sacrebleu command line reads files.
    with open(path, encoding="utf-8", newline="\n") as f:
        return [line.rstrip() for line in f]


def bleu_dict(s):
    return {
        "score": s.score, "counts": list(s.counts), "totals": list(s.totals),
        "precisions": list(s.precisions), "bp": s.bp, "sys_len": s.sys_len, "ref_len": s.ref_len,
        "formatted": s.format(),
    }


def unicode_classes():
    """Run-length [start, classes] over 0...0x10FFFF: bit 1 \\p{P}, 2 \\p{S}, 4 \\p{N}; -1 where
    Python's unicodedata has the code point unassigned (Unicode versions may differ there)."""
    p, s, n = regex.compile(r"\p{P}"), regex.compile(r"\p{S}"), regex.compile(r"\p{N}")
    runs, last = [], None
    for c in range(0x110000):
        ch = chr(c)
        if unicodedata.category(ch) == "Cn" or 0xD800 <= c <= 0xDFFF:
            v = -1
        else:
            v = (1 if p.match(ch) else 0) | (2 if s.match(ch) else 0) | (4 if n.match(ch) else 0)
        if v != last:
            runs.append([c, v])
            last = v
    return runs


def chinese_ranges():
    runs, start = [], None
    for c in range(0x110001):
        v = c < 0x110000 and not (0xD800 <= c <= 0xDFFF) and TokenizerZh._is_chinese_char(chr(c))
        if v and start is None:
            start = c
        if not v and start is not None:
            runs.append([start, c - 1])
            start = None
    return runs


def main():
    out = {"sacrebleu_version": sacrebleu.__version__, "unicode_version": unicodedata.unidata_version,
           "sets": {}}
    for name in SETS:
        hyps = read_lines(os.path.join(LANG, f"{name}.hyp"))
        refs = read_lines(os.path.join(LANG, f"{name}.ref"))
        entry = {"lines": len(hyps), "tokenizers": {}}
        for tok in TOKENIZERS:
            bleu = BLEU(tokenize=tok)
            sent = BLEU(tokenize=tok, effective_order=True)
            entry["tokenizers"][tok] = {
                "corpus": bleu_dict(bleu.corpus_score(hyps, [refs])),
                "signature": str(bleu.get_signature()),
                "sentence": [sent.sentence_score(h, [r]).score for h, r in zip(hyps, refs)],
                "tok_hyp": [bleu.tokenizer(h.rstrip()) for h in hyps],
                "tok_ref": [bleu.tokenizer(r.rstrip()) for r in refs],
            }
        chrf = CHRF()
        c = chrf.corpus_score(hyps, [refs])
        entry["chrf"] = {"score": c.score, "formatted": c.format(), "signature": str(chrf.get_signature()),
                         "sentence": [chrf.sentence_score(h, [r]).score for h, r in zip(hyps, refs)]}
        out["sets"][name] = entry
    out["unicode_classes"] = unicode_classes()
    out["zh_chinese_ranges"] = chinese_ranges()
    path = os.path.join(FIX, "sacrebleu_tokenizers.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=None, separators=(",", ":"))
        f.write("\n")
    for name in SETS:
        e = out["sets"][name]
        print(name, " ".join(f"{t}={e['tokenizers'][t]['corpus']['score']:.1f}" for t in TOKENIZERS),
              f"chrF={e['chrf']['score']:.1f}")
    print(f"{len(out['unicode_classes'])} class runs; wrote {path}")


if __name__ == "__main__":
    main()
