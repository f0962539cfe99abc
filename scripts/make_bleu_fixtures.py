#!/usr/bin/env python3
"""Generate Tests/S2SEvalTests/Fixtures/sacrebleu_edge.json with sacrebleu 2.6.0.

The S2SEval tests compare the Swift BLEU/chrF with these numbers digit for digit. Run with a
Python that has sacrebleu==2.6.0, e.g.:

    make bench-env     # .build/bench-venv from bench/requirements.txt (sacrebleu 2.6.0, ...)
    .build/bench-venv/bin/python scripts/make_bleu_fixtures.py

It records: (1) hand-picked edge-case segments (empty sides, whitespace, unicode punctuation,
numbers, entities, decomposed accents, astral code points) with sentence BLEU (effective order
on and off), sentence chrF and chrF++, the 13a tokenization of both sides, and corpus scores
over all of them; (2) for the shared peer fixtures, sentence-level scores (every line of the
heavy system, the first 100 of the others), chrF++ and effective-order corpus BLEU; (3) the
sacrebleu command line's text and JSON output for one system.
"""
import json
import os
import platform
import subprocess
import sys

import sacrebleu
from sacrebleu.metrics import BLEU, CHRF
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

assert sacrebleu.__version__ == "2.6.0", sacrebleu.__version__

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "..", "Tests", "S2SEvalTests", "Fixtures")
SB = os.path.join(FIX, "sacrebleu")

EDGE = [
    ("empty_hyp", "", "Ein Mann schläft."),
    ("empty_ref", "Ein Mann schläft.", ""),
    ("both_empty", "", ""),
    ("whitespace_only", "   \t ", "  "),
    ("one_word_match", "Hallo", "Hallo"),
    ("one_word_miss", "Hallo", "Welt"),
    ("two_words", "a b", "a b"),
    ("three_words", "a b c", "a b c d"),
    ("period_only", ".", "."),
    ("case_differs", "Hallo Welt", "hallo welt"),
    ("clipping", "the the the the the the", "the cat is on the mat"),
    ("longer_hyp", "ein sehr sehr sehr langer Satz mit vielen vielen Wörtern hier", "ein langer Satz"),
    ("numbers_commas_periods", "Es kostet 1,000.50 Euro, nicht 3.14 oder 1.000,5!", "Es kostet 1,000.50 Euro , nicht 3.14 oder 1.000,5 !"),
    ("number_edges", "1. .5 ,5 5, 5. a.b a,b 1-2 10 - 20 5,- x-y", "1 . .5 , 5 5 , 5 . a . b a , b 1 - 2 10 - 20"),
    ("periods_run", "a.. b... c.... U.S.A. Dr. Smith, Jr.", "a . . b . . . c U.S.A. Dr. Smith , Jr."),
    ("unicode_punct", "„Hallo“ — sagte er… «ja» ‚gut‘ ¿qué? ¡sí!", "\"Hallo\" - sagte er ... \"ja\" 'gut' qué? sí!"),
    ("unicode_punct_identical", "„Hallo“ — sagte er…", "„Hallo“ — sagte er…"),
    ("entities", "&quot;Hi&quot; AT&amp;T &lt;b&gt; &amp;lt; &amp;amp; &foo;", "\"Hi\" AT&T <b> < & &foo;"),
    ("skipped", "ein <skipped> Satz", "ein Satz"),
    ("embedded_newlines", "Zeilen-\numbruch und\nneue Zeile", "Zeilenumbruch und neue Zeile"),
    ("decomposed_accent", "Cafe\u0301 fu\u0308r dich", "Caf\u00e9 f\u00fcr dich"),
    ("special_spaces", "a\u00a0b\u2009c\u200bd\u3000e\u000bf\u001cg\u0085h", "a b c\u200bd e f g h"),
    ("trailing_cr", "Ein Hund läuft.\r", "Ein Hund läuft."),
    ("astral_and_emoji", "Das 😀 ist 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 !", "Das 😀 ist 𝔘𝔫𝔦𝔠𝔬𝔡𝔢!"),
    ("cjk", "这是一个测试。", "这是一个测试。"),
    ("symbols_urls", "$5 50% #tag @user http://x.y/z?a=b&c=d ~/.bashrc [a] {b} (c) <d> a|b a^b a`b", "$ 5 50 % # tag @ user"),
    ("apostrophes_dashes", "don't l'homme well-known -- x", "do n't l' homme well - known - x"),
    ("punct_words_chrfpp", "(hi) hi! !hi ?? a.", "hi ( hi ) ! hi a ."),
    ("long_sentence", " ".join(f"w{i % 17}" for i in range(120)), " ".join(f"w{i % 13}" for i in range(110))),
]


def bleu_dict(s):
    return {
        "score": s.score, "counts": list(s.counts), "totals": list(s.totals),
        "precisions": list(s.precisions), "bp": s.bp, "sys_len": s.sys_len, "ref_len": s.ref_len,
        "formatted": s.format(),
    }


def read_lines(path):
    # Exactly as the sacrebleu command line reads files.
    with open(path, encoding="utf-8", newline="\n") as f:
        return [line.rstrip() for line in f]


def main():
    tok = Tokenizer13a()
    bleu_eff = BLEU(effective_order=True)
    bleu_noeff = BLEU()
    chrf = CHRF()
    chrfpp = CHRF(word_order=2)

    edge = []
    for name, hyp, ref in EDGE:
        edge.append({
            "name": name, "hyp": hyp, "ref": ref,
            "tok_hyp": tok(hyp.rstrip()), "tok_ref": tok(ref.rstrip()),
            "sentence_bleu": bleu_dict(bleu_eff.sentence_score(hyp, [ref])),
            "sentence_bleu_noeff": bleu_dict(bleu_noeff.sentence_score(hyp, [ref])),
            "sentence_chrf": chrf.sentence_score(hyp, [ref]).score,
            "sentence_chrfpp": chrfpp.sentence_score(hyp, [ref]).score,
        })
    hyps = [h for _, h, _ in EDGE]
    refs = [r for _, _, r in EDGE]
    corpus_bleu = BLEU()
    edge_corpus = {
        "bleu": bleu_dict(corpus_bleu.corpus_score(hyps, [refs])),
        "bleu_signature": str(corpus_bleu.get_signature()),
        "chrf": CHRF().corpus_score(hyps, [refs]).score,
        "chrfpp": CHRF(word_order=2).corpus_score(hyps, [refs]).score,
    }
    n_empty = 3
    all_empty = {
        "lines": n_empty,
        "bleu": bleu_dict(BLEU().corpus_score([""] * n_empty, [[""] * n_empty])),
        "chrf": CHRF().corpus_score([""] * n_empty, [[""] * n_empty]).score,
    }

    ref_lines = read_lines(os.path.join(SB, "ref.de"))
    systems = {}
    for case, fname, n in [("heavy", "hyp.heavy.de", None), ("light", "hyp.light.de", 100),
                           ("with_empty", "hyp.with_empty.de", 100), ("punct_unicode", "hyp.punct_unicode.de", 100)]:
        hyp_lines = read_lines(os.path.join(SB, fname))
        take = len(hyp_lines) if n is None else n
        eff_corpus = BLEU(effective_order=True)
        cpp = CHRF(word_order=2)
        systems[case] = {
            "hypothesis": fname,
            "sentence_lines": take,
            "sentence_bleu": [bleu_eff.sentence_score(h, [r]).score for h, r in zip(hyp_lines[:take], ref_lines[:take])],
            "sentence_chrf": [chrf.sentence_score(h, [r]).score for h, r in zip(hyp_lines[:take], ref_lines[:take])],
            "corpus_bleu_effective_order": bleu_dict(eff_corpus.corpus_score(hyp_lines, [ref_lines])),
            "corpus_bleu_effective_order_signature": str(eff_corpus.get_signature()),
            "corpus_chrfpp": cpp.corpus_score(hyp_lines, [ref_lines]).score,
            "corpus_chrfpp_formatted": cpp.corpus_score(hyp_lines, [ref_lines]).format(signature=str(cpp.get_signature())),
        }

    cli = os.path.join(os.path.dirname(sys.executable), "sacrebleu")
    cli_out = {}
    for fmt in ("text", "json"):
        for width in (1, 2):
            out = subprocess.run([cli, os.path.join(SB, "ref.de"), "-i", os.path.join(SB, "hyp.light.de"),
                                  "-m", "bleu", "chrf", "-f", fmt, "-w", str(width)],
                                 check=True, capture_output=True, text=True).stdout
            cli_out[f"{fmt}_w{width}"] = out

    doc = {
        "generator": "scripts/make_bleu_fixtures.py",
        "sacrebleu_version": sacrebleu.__version__,
        "python_version": platform.python_version(),
        "edge_cases": edge,
        "edge_corpus": edge_corpus,
        "all_empty_corpus": all_empty,
        "systems": systems,
        "cli_light": cli_out,
    }
    out_path = os.path.join(FIX, "sacrebleu_edge.json")
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=True, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {out_path} ({os.path.getsize(out_path)} bytes)")


if __name__ == "__main__":
    main()
