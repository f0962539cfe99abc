#!/usr/bin/env python3
"""Generate the option-parity fixtures of issue 21 from sacrebleu 2.6.0 and subword-nmt 0.3.8.

    make bench-env     # .build/bench-venv: sacrebleu 2.6.0, subword-nmt 0.3.8, numpy (bench/requirements.txt)
    .build/bench-venv/bin/python scripts/make_parity_fixtures.py

Writes (all committed; the Swift tests never run Python):
  Tests/S2SEvalTests/Fixtures/parity/sacrebleu_api.json   every metric option through sacrebleu's API:
      sacrebleu's own test vectors (test_bleu, test_sentence_bleu, test_chrf, test_ter,
      test_tokenizer_ter, rewritten as cases) and an option grid over the committed
      sacrebleu fixtures (one and two references), corpus and sentence scores, signatures.
  Tests/S2SEvalTests/Fixtures/parity/sacrebleu_cli.json   `sacrebleu` command lines and their stdout,
      each with the equivalent `s2s evaluate` arguments.
  Tests/S2SEvalTests/Fixtures/parity/significance.json     paired bootstrap / approximate randomization
      and --confidence results (see make_significance_cases).
  Tests/S2STextTests/Fixtures/subword-nmt-options/cases.json   learn_bpe / apply_bpe with every option,
      subword-nmt's own test vectors (test_glossaries, test_bpe's process_line cases) and the two
      corner cases of issue 21.
"""
import itertools
import json
import logging
import os
import subprocess
import sys

import sacrebleu
from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.tokenizers.tokenizer_ter import TercomTokenizer

assert sacrebleu.__version__ == "2.6.0", sacrebleu.__version__
# sacrebleu warns on every sentence score without effective order; the grid asks for both.
logging.getLogger("sacrebleu").setLevel(logging.ERROR)

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
EVAL_FIX = os.path.join(ROOT, "Tests", "S2SEvalTests", "Fixtures")
PARITY = os.path.join(EVAL_FIX, "parity")
TEXT_FIX = os.path.join(ROOT, "Tests", "S2STextTests", "Fixtures", "subword-nmt-options")
# How many lines of the committed 1014-line fixture files the option grid scores (Python's TER
# is slow; the Swift tests read the same prefix).
GRID_LINES = 60
SENTENCES = 10


def lines(name, n=None):
    with open(os.path.join(EVAL_FIX, "sacrebleu", name), encoding="utf-8", newline="\n") as f:
        out = [l.rstrip() for l in f]
    return out[:n] if n else out


def metric(kind, opts):
    if kind == "bleu":
        return BLEU(lowercase=opts.get("lowercase", False), smooth_method=opts.get("smooth_method", "exp"),
                    smooth_value=opts.get("smooth_value"), max_ngram_order=opts.get("max_ngram_order", 4),
                    effective_order=opts.get("effective_order", False))
    if kind == "chrf":
        return CHRF(char_order=opts.get("char_order", 6), word_order=opts.get("word_order", 0),
                    beta=opts.get("beta", 2), lowercase=opts.get("lowercase", False),
                    whitespace=opts.get("whitespace", False), eps_smoothing=opts.get("eps_smoothing", False))
    return TER(normalized=opts.get("normalized", False), no_punct=opts.get("no_punct", False),
               asian_support=opts.get("asian_support", False), case_sensitive=opts.get("case_sensitive", False))


def case(name, kind, opts, hyps, refs, files=None, sentences=SENTENCES):
    """One API case: corpus score, formatted line, signatures, sentence scores."""
    m = metric(kind, opts)
    score = m.corpus_score(hyps, refs)
    sig = m.get_signature()
    out = {"name": name, "metric": kind, "options": opts, "corpus_score": score.score,
           "formatted": score.format(width=4, signature=sig.format()),
           "signature": sig.format(), "short_signature": sig.format(short=True)}
    if kind == "bleu":
        out["verbose"] = score._verbose
    if files:
        out["files"] = files
    else:
        out["hyps"], out["refs"] = list(hyps), [list(r) for r in refs]
    out["sentence_scores"] = [m.sentence_score(h, [r[i] for r in refs]).score
                              for i, h in enumerate(hyps[:sentences])]
    return out


# sacrebleu's own test vectors (sacrebleu-2.6.0/test/*.py), as cases. `tokenize='none'`, 'intl'
# and 'char' cases are left out: other tokenizers are issue 19's.
REFS_README = [
    ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
    ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'],
]
HYPS_README = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.']
SYS_98 = "Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;"
REF_98 = "producţia de zahăr brut se exprimă în zahăr alb;"
TER_WMT_HYP = [
    'wählen Sie " Bild neu berechnen , " um beim Ändern der Bildgröße Pixel hinzuzufügen oder zu entfernen , damit das Bild ungefähr dieselbe Größe aufweist wie die andere Größe .',
    'wenn Sie alle Aufgaben im aktuellen Dokument aktualisieren möchten , wählen Sie im Menü des Aufgabenbedienfelds die Option " Alle Aufgaben aktualisieren . "',
    'klicken Sie auf der Registerkarte " Optionen " auf die Schaltfläche " Benutzerdefiniert " und geben Sie Werte für " Fehlerkorrektur-Level " und " Y / X-Verhältnis " ein .',
    'Sie können beispielsweise ein Dokument erstellen , das ein Auto über die Bühne enthält .',
    'wählen Sie im Dialogfeld " Neu aus Vorlage " eine Vorlage aus und klicken Sie auf " Neu . "',
]
TER_WMT_REF = [
    'wählen Sie " Bild neu berechnen , " um beim Ändern der Bildgröße Pixel hinzuzufügen oder zu entfernen , damit die Darstellung des Bildes in einer anderen Größe beibehalten wird .',
    'wenn Sie alle Aufgaben im aktuellen Dokument aktualisieren möchten , wählen Sie im Menü des Aufgabenbedienfelds die Option " Alle Aufgaben aktualisieren . "',
    'klicken Sie auf der Registerkarte " Optionen " auf die Schaltfläche " Benutzerdefiniert " und geben Sie für " Fehlerkorrektur-Level " und " Y / X-Verhältnis " niedrigere Werte ein .',
    'Sie können beispielsweise ein Dokument erstellen , das ein Auto enthalt , das sich über die Bühne bewegt .',
    'wählen Sie im Dialogfeld " Neu aus Vorlage " eine Vorlage aus und klicken Sie auf " Neu . "',
]
CHRF_CS = [
    ('Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.',
     'Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.'),
    ('Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.',
     'A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.'),
    ('Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.',
     'Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.'),
]
CHRF_PAIRS = [
    (["abcdefg"], ["hijklmnop"]), (["a"], ["b"]), ([""], ["b"]), ([""], ["ref"]), ([""], ["reference"]),
    (["aa"], ["ab"]), (["a", "b"], ["a", "c"]), (["a"], ["a"]), (["a b c"], ["a b c"]), (["a b c"], ["abc"]),
    ([" risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists ."],
     ["risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists ."]),
    ([" Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. "],
     ["Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."]),
    (["Niemand hat die Absicht, eine Mauer zu errichten"], ["Niemand hat die Absicht, eine Mauer zu errichten"]),
    ([""], ["c"]),
]
TER_PAIRS = [
    (['aaaa bbbb cccc dddd'], ['aaaa bbbb cccc dddd']), (['dddd eeee ffff'], ['aaaa bbbb cccc']),
    ([''], ['a']), (['a'], ['']), ([''], ['']), (['d e f g h a b c'], ['a b c d e f g h']),
    (TER_WMT_HYP, TER_WMT_REF),
]
# Our own edge segments for the options: casing beyond ASCII (final sigma, dotted I, ß),
# CJK and full-width punctuation for TER's asian support, entities and 's for its normalizer.
EDGE_HYPS = ["ΟΔΟΣ ΚΑΙ Σ.", "İSTANBUL'S Straße", "美众院公布对特，「好」。", "Jim's car (red) costs 4.2 &amp; more!", "",
             "a b c d e f g h i j k l", "り の拳銃を持", "ＡＢＣ１２３！？"]
EDGE_REFS = [["οδος και σ.", "istanbul's strasse", "美众院公布对特，好。", "jim 's car ( red ) costs 4.2 & more !", "x",
              "g h i j k l a b c d e f", "りの拳銃を持", "ABC123!?"],
             ["Οδός και Σ", "Istanbul's Straße", "美 众 院 公 布 对 特", "Jim's red car costs 4.2 and more", "",
              "a b c d e f g h i j k l", "拳銃", "ＡＢＣ"]]


def vector_cases():
    out = []
    add = out.append
    add(case("sacrebleu test_bleu: readme default", "bleu", {}, HYPS_README, REFS_README))
    add(case("sacrebleu test_bleu: empty hypotheses kept", "bleu", {}, ["", "", ""], REFS_README))
    add(case("sacrebleu test_bleu: smooth none", "bleu", {"smooth_method": "none"}, HYPS_README, REFS_README))
    for order in range(1, 7):
        add(case(f"sacrebleu test_bleu: max order {order}", "bleu", {"max_ngram_order": order}, HYPS_README, REFS_README))
    add(case("sacrebleu test_bleu: raw, no match", "bleu", {"smooth_method": "floor", "smooth_value": 0.01},
             ["this is a test", "another test"], [["ref1", "ref2"]]))
    add(case("sacrebleu test_bleu: raw, fest", "bleu", {"smooth_method": "floor", "smooth_value": 0.01},
             ["this is a fest"], [["this is a test"]]))
    add(case("sacrebleu test_bleu: offset 0", "bleu", {"smooth_method": "floor", "smooth_value": 0.0},
             ["am I am a character sequence"], [["I am a symbol string sequence a a"]]))
    add(case("sacrebleu test_bleu: offset default", "bleu", {"smooth_method": "floor"},
             ["am I am a character sequence"], [["I am a symbol string sequence a a"]]))
    for h, r in [("test", "a test"), ("a test", "a test"), ("a little test", "a test")]:
        add(case(f"sacrebleu test_bleu: effective order {h!r}", "bleu",
                 {"smooth_method": "floor", "smooth_value": 0.01, "effective_order": True}, [h], [[r]]))
    for method, value, lc in [("exp", None, False), ("none", None, False), ("floor", None, False), ("floor", 0.1, False),
                              ("floor", 0.5, False), ("add-k", None, False), ("add-k", 1, False), ("add-k", 2, False),
                              ("exp", None, True)]:
        opts = {"smooth_method": method, "effective_order": True, "lowercase": lc}
        if value is not None:
            opts["smooth_value"] = value
        add(case(f"sacrebleu test_sentence_bleu #98: {method} {value} lc={lc}", "bleu", opts, [SYS_98], [[REF_98]]))
        add(case(f"sacrebleu test_sentence_bleu #141: {method} {value} lc={lc}", "bleu", opts, ["this is a cat"], [["okay thanks"]]))
    for i, (h, r) in enumerate(CHRF_PAIRS):
        add(case(f"sacrebleu test_chrf {i}: eps", "chrf", {"beta": 3, "eps_smoothing": True}, h, [r]))
        add(case(f"sacrebleu test_chrf {i}: effective order", "chrf", {"beta": 3}, h, [r]))
        add(case(f"sacrebleu test_chrf {i}: whitespace", "chrf", {"beta": 3, "whitespace": True}, h, [r]))
    for i, (h, r) in enumerate(CHRF_CS):
        add(case(f"sacrebleu test_chrf sentence {i}", "chrf", {"eps_smoothing": True}, [h], [[r]]))
    for i, (h, r) in enumerate(TER_PAIRS):
        add(case(f"sacrebleu test_ter {i}", "ter", {}, h, [r]))
    return out


def tercom_vectors():
    """test_tokenizer_ter, plus our edge lines through every tokenizer setting."""
    inputs = ["a b c d", "", "a b c d.", "A B C D.", "A ; B ) C : D.", "a b (c) d.", "Jim's car.", "4.2",
              "美众院公布对特", "りの拳銃を持"] + EDGE_HYPS + EDGE_REFS[0]
    out = []
    for norm, punct, asian, case_ in itertools.product([False, True], repeat=4):
        tok = TercomTokenizer(normalized=norm, no_punct=punct, asian_support=asian, case_sensitive=case_)
        out.append({"options": {"normalized": norm, "no_punct": punct, "asian_support": asian, "case_sensitive": case_},
                    "inputs": inputs, "outputs": [tok(s) for s in inputs]})
    return out


# Python's str.lower() beyond ASCII: final sigma by context, İ to two code points, ß kept (lower,
# not casefold), title-case digraphs, Cherokee, combining marks between sigma and its letters.
LOWER_INPUTS = ["ΟΔΟΣ", "ΟΔΟΣ ΚΑΙ", "Σ", "ΑΣ.", "ΑΣ\u0301Β", "Σ\u0301Α", "İstanbul", "STRAßE", "ǅemal Ǉ", "ᏣᎳᎩ",
                "ÀÉÎÕÜ", "ＡＢＣ", "ΣΑΣ'Σ", "a\u0345Σ"]


def grid_cases():
    ref = lines("ref.de", GRID_LINES)
    ref2 = lines("hyp.punct_unicode.de", GRID_LINES)
    out = []
    for hyp_name in ["hyp.heavy.de", "hyp.with_empty.de"]:
        hyp = lines(hyp_name, GRID_LINES)
        for nrefs in [1, 2]:
            refs = [ref, ref2][:nrefs]
            files = {"hyp": hyp_name, "refs": ["ref.de", "hyp.punct_unicode.de"][:nrefs], "lines": GRID_LINES}
            for lc, (method, value), order, eff in itertools.product(
                    [False, True], [("exp", None), ("none", None), ("floor", None), ("floor", 0.5), ("add-k", None), ("add-k", 2.0)],
                    [4, 1, 6], [False, True]):
                if hyp_name == "hyp.with_empty.de" and (order != 4 or eff):
                    continue
                opts = {"lowercase": lc, "smooth_method": method, "max_ngram_order": order, "effective_order": eff}
                if value is not None:
                    opts["smooth_value"] = value
                out.append(case(f"grid {hyp_name} bleu nrefs={nrefs} {opts}", "bleu", opts, hyp, refs, files))
            for (co, wo, beta), ws, lc, eps in itertools.product([(6, 0, 2), (6, 2, 2), (3, 0, 1), (8, 2, 3)],
                                                                 [False, True], [False, True], [False, True]):
                if hyp_name == "hyp.with_empty.de" and (co, beta) != (6, 2):
                    continue
                opts = {"char_order": co, "word_order": wo, "beta": beta, "whitespace": ws, "lowercase": lc, "eps_smoothing": eps}
                out.append(case(f"grid {hyp_name} chrf nrefs={nrefs} {opts}", "chrf", opts, hyp, refs, files))
            for norm, punct, asian, cs in itertools.product([False, True], repeat=4):
                if hyp_name == "hyp.with_empty.de" and asian:
                    continue
                opts = {"normalized": norm, "no_punct": punct, "asian_support": asian, "case_sensitive": cs}
                out.append(case(f"grid {hyp_name} ter nrefs={nrefs} {opts}", "ter", opts, hyp, refs, files))
    # The edge segments through every option of every metric, one and two references.
    for nrefs in [1, 2]:
        refs = EDGE_REFS[:nrefs]
        for lc, method in itertools.product([False, True], ["exp", "floor", "add-k", "none"]):
            out.append(case(f"edge bleu nrefs={nrefs} lc={lc} {method}", "bleu", {"lowercase": lc, "smooth_method": method},
                            EDGE_HYPS, refs))
        for lc, ws, eps, wo in itertools.product([False, True], repeat=3 + 1):
            opts = {"lowercase": lc, "whitespace": ws, "eps_smoothing": eps, "word_order": 2 if wo else 0}
            out.append(case(f"edge chrf nrefs={nrefs} {opts}", "chrf", opts, EDGE_HYPS, refs))
        for norm, punct, asian, cs in itertools.product([False, True], repeat=4):
            opts = {"normalized": norm, "no_punct": punct, "asian_support": asian, "case_sensitive": cs}
            out.append(case(f"edge ter nrefs={nrefs} {opts}", "ter", opts, EDGE_HYPS, refs))
    return out


def write_json(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {os.path.relpath(path, ROOT)}", file=sys.stderr)


# The command line: sacrebleu's arguments and ours for the same request. {F} stands for the
# committed sacrebleu fixture folder; the tests substitute their bundle's copy.
CLI = [
    (["{F}/ref.de", "-i", "{F}/hyp.heavy.de", "-m", "bleu", "chrf", "ter", "-f", "text"],
     ["--ref", "{F}/ref.de", "--hyp", "{F}/hyp.heavy.de", "--metrics", "bleu,chrf,ter", "--format", "text"]),
    (["{F}/ref.de", "{F}/hyp.punct_unicode.de", "-i", "{F}/hyp.heavy.de", "-m", "bleu", "chrf", "ter", "-f", "json", "-w", "3"],
     ["--ref", "{F}/ref.de", "--ref", "{F}/hyp.punct_unicode.de", "--hyp", "{F}/hyp.heavy.de", "--metrics", "bleu,chrf,ter",
      "--format", "json", "-w", "3"]),
    (["{F}/ref.de", "-i", "{F}/hyp.light.de", "-m", "bleu", "chrf", "-f", "text", "--short", "--lowercase",
      "--smooth-method", "add-k", "--smooth-value", "3", "--chrf-word-order", "2", "--chrf-beta", "1",
      "--chrf-whitespace", "--chrf-lowercase", "--chrf-eps-smoothing", "--chrf-char-order", "4"],
     ["--ref", "{F}/ref.de", "--hyp", "{F}/hyp.light.de", "--metrics", "bleu,chrf", "--format", "text", "--short", "--lowercase",
      "--smooth-method", "add-k", "--smooth-value", "3", "--chrf-word-order", "2", "--chrf-beta", "1",
      "--chrf-whitespace", "--chrf-lowercase", "--chrf-eps-smoothing", "--chrf-char-order", "4"]),
    (["{F}/ref.de", "-i", "{F}/hyp.light.de", "-m", "ter", "-f", "text", "--ter-normalized", "--ter-no-punct",
      "--ter-asian-support", "--ter-case-sensitive"],
     ["--ref", "{F}/ref.de", "--hyp", "{F}/hyp.light.de", "--metrics", "ter", "--format", "text", "--ter-normalized",
      "--ter-no-punct", "--ter-asian-support", "--ter-case-sensitive"]),
    (["{F}/ref.de", "-i", "{F}/hyp.with_empty.de", "-m", "bleu", "chrf", "ter", "-b", "-f", "text"],
     ["--ref", "{F}/ref.de", "--hyp", "{F}/hyp.with_empty.de", "--metrics", "bleu,chrf,ter", "--score-only"]),
    (["{F}/ref.de", "-i", "{F}/hyp.with_empty.de", "-m", "bleu", "chrf", "ter", "-b", "-f", "json"],
     ["--ref", "{F}/ref.de", "--hyp", "{F}/hyp.with_empty.de", "--metrics", "bleu,chrf,ter", "--score-only", "--format", "json"]),
    (["{F}/ref.de", "-i", "{F}/hyp.heavy.de", "-m", "bleu", "-sl", "-f", "text", "--smooth-method", "floor"],
     ["--ref", "{F}/ref.de", "--hyp", "{F}/hyp.heavy.de", "--metrics", "bleu", "--sentence-level", "--smooth-method", "floor"]),
    (["{F}/ref.de", "{F}/hyp.light.de", "-i", "{F}/hyp.heavy.de", "-m", "chrf", "-sl", "-f", "text", "--chrf-word-order", "2"],
     ["--ref", "{F}/ref.de", "--ref", "{F}/hyp.light.de", "--hyp", "{F}/hyp.heavy.de", "--metrics", "chrf", "--sentence-level",
      "--chrf-word-order", "2"]),
    (["{F}/ref.de", "-i", "{F}/hyp.heavy.de", "-m", "ter", "-sl", "-b", "-w", "2"],
     ["--ref", "{F}/ref.de", "--hyp", "{F}/hyp.heavy.de", "--metrics", "ter", "--sentence-level", "--score-only", "-w", "2"]),
]
# --confidence: sacrebleu reads its seed from SACREBLEU_SEED, s2s from --resample-seed.
CONFIDENCE_CLI = [
    (["{F}/ref.de", "-i", "{F}/hyp.heavy.de", "-m", "bleu", "chrf", "ter", "--confidence", "-f", "text"],
     ["--ref", "{F}/ref.de", "--hyp", "{F}/hyp.heavy.de", "--metrics", "bleu,chrf,ter", "--confidence"], None),
    (["{F}/ref.de", "{F}/hyp.light.de", "-i", "{F}/hyp.with_empty.de", "-m", "bleu", "chrf", "ter", "--confidence",
      "--confidence-n", "300", "-f", "json", "-w", "3", "--chrf-word-order", "2"],
     ["--ref", "{F}/ref.de", "--ref", "{F}/hyp.light.de", "--hyp", "{F}/hyp.with_empty.de", "--metrics", "bleu,chrf,ter",
      "--confidence", "--confidence-n", "300", "--format", "json", "-w", "3", "--chrf-word-order", "2"], None),
    (["{F}/ref.de", "-i", "{F}/hyp.heavy.de", "-m", "chrf", "ter", "--confidence", "-b", "-f", "text", "--confidence-n", "100"],
     ["--ref", "{F}/ref.de", "--hyp", "{F}/hyp.heavy.de", "--metrics", "chrf,ter", "--confidence", "--score-only",
      "--confidence-n", "100"], None),
    (["{F}/ref.de", "-i", "{F}/hyp.light.de", "-m", "bleu", "ter", "--confidence", "-f", "text", "--short"],
     ["--ref", "{F}/ref.de", "--hyp", "{F}/hyp.light.de", "--metrics", "bleu,ter", "--confidence", "--short",
      "--resample-seed", "2024"], "2024"),
]
# Paired tests: s2s prints sacrebleu's stdout (colours off) and then names the comparisons that
# are not significant; the tests check the prefix and that naming. System names are in the
# table, so both tools run inside the fixture folder with bare file names.
PAIRED_CLI = [
    (["ref.de", "-i", "hyp.light.de", "hyp.heavy.de", "hyp.punct_unicode.de", "-m", "bleu", "chrf",
      "--paired-bs", "-f", "text"],
     ["--ref", "ref.de", "--hyp", "hyp.light.de", "--hyp", "hyp.heavy.de", "--hyp", "hyp.punct_unicode.de",
      "--metrics", "bleu,chrf", "--paired-bs"]),
    (["ref.de", "hyp.punct_unicode.de", "-i", "hyp.light.de", "hyp.with_empty.de", "-m", "chrf", "ter",
      "--paired-ar", "--paired-ar-n", "300", "-f", "text", "-w", "2", "--short", "--chrf-word-order", "2"],
     ["--ref", "ref.de", "--ref", "hyp.punct_unicode.de", "--hyp", "hyp.light.de", "--hyp", "hyp.with_empty.de",
      "--metrics", "chrf,ter", "--paired-ar", "--paired-ar-n", "300", "-w", "2", "--short", "--chrf-word-order", "2"]),
]
STDIN_CLI = [
    # The hypotheses on stdin (universal newlines: the CRLF file reads as the plain one).
    (["{F}/ref.de", "-m", "bleu", "chrf", "-f", "text"], ["--ref", "{F}/ref.de", "--metrics", "bleu,chrf"], "hyp.light.de", True),
    (["{F}/ref.de", "-m", "bleu", "ter", "-f", "json"], ["--ref", "{F}/ref.de", "--hyp", "-", "--metrics", "bleu,ter", "--format", "json"],
     "hyp.heavy.de", False),
]


def cli_cases():
    fix = os.path.join(EVAL_FIX, "sacrebleu")
    env = dict(os.environ, NO_COLOR="1")
    env.pop("SACREBLEU_SEED", None)
    out = []
    for theirs, ours in CLI:
        args = [a.replace("{F}", fix) for a in theirs]
        res = subprocess.run([sys.executable, "-m", "sacrebleu", *args], capture_output=True, text=True, env=env, check=True)
        out.append({"sacrebleu": theirs, "s2s": ["evaluate", *ours], "stdout": res.stdout})
    for theirs, ours, seed in CONFIDENCE_CLI:
        args = [a.replace("{F}", fix) for a in theirs]
        run_env = dict(env, SACREBLEU_SEED=seed) if seed else env
        res = subprocess.run([sys.executable, "-m", "sacrebleu", *args], capture_output=True, text=True, env=run_env, check=True)
        out.append({"sacrebleu": theirs, "s2s": ["evaluate", *ours], "stdout": res.stdout})
    for theirs, ours in PAIRED_CLI:
        res = subprocess.run([sys.executable, "-m", "sacrebleu", *theirs], capture_output=True, text=True, env=env,
                             check=True, cwd=fix)
        out.append({"sacrebleu": theirs, "s2s": ["evaluate", *ours], "stdout": res.stdout, "paired": True, "in_folder": True})
    # Paired tests on tab-separated stdin systems ("Baseline", "System 1", …): the light system,
    # the same with every 40th line replaced by the reference and every other 40th by the heavy
    # system's (gains and losses: a difference that is not significant), and the heavy one.
    light, heavy, ref = lines("hyp.light.de"), lines("hyp.heavy.de"), lines("ref.de")
    mixed = [r if i % 40 == 0 else h if i % 40 == 20 else l for i, (l, h, r) in enumerate(zip(light, heavy, ref))]
    data = "".join(f"{a}\t{b}\t{c}\n" for a, b, c in zip(light, mixed, heavy))
    for test in [["--paired-bs", "--paired-bs-n", "200"], ["--paired-ar", "--paired-ar-n", "200"]]:
        res = subprocess.run([sys.executable, "-m", "sacrebleu", os.path.join(fix, "ref.de"), "-m", "bleu", "chrf", *test,
                              "-f", "text"], input=data.encode(), capture_output=True, env=env, check=True)
        out.append({"sacrebleu": ["{F}/ref.de", "-m", "bleu", "chrf", *test, "-f", "text"],
                    "s2s": ["evaluate", "--ref", "{F}/ref.de", "--metrics", "bleu,chrf", *test],
                    "stdin_text": data, "stdout": res.stdout.decode("utf-8"), "paired": True})
    for theirs, ours, hyp_name, crlf in STDIN_CLI:
        args = [a.replace("{F}", fix) for a in theirs]
        data = open(os.path.join(fix, hyp_name), "rb").read()
        if crlf:
            data = data.replace(b"\n", b"\r\n")
        res = subprocess.run([sys.executable, "-m", "sacrebleu", *args], input=data, capture_output=True, env=env, check=True)
        out.append({"sacrebleu": theirs, "s2s": ["evaluate", *ours], "stdin_file": hyp_name, "stdin_crlf": crlf,
                    "stdout": res.stdout.decode("utf-8")})
    return out


if __name__ == "__main__":
    which = set(sys.argv[1:]) or {"sacrebleu", "significance", "subword-nmt"}
    if "sacrebleu" in which:
        write_json(os.path.join(PARITY, "sacrebleu_api.json"), {
            "sacrebleu_version": sacrebleu.__version__, "grid_lines": GRID_LINES,
            "vectors": vector_cases(), "tercom": tercom_vectors(), "grid": grid_cases(),
            "lower": [{"input": x, "output": x.lower()} for x in LOWER_INPUTS]})
        write_json(os.path.join(PARITY, "sacrebleu_cli.json"), {"sacrebleu_version": sacrebleu.__version__, "cases": cli_cases()})
    if "significance" in which:
        import make_parity_significance
        make_parity_significance.main(write_json, lines, PARITY)
    if "subword-nmt" in which:
        import make_parity_subword_nmt
        make_parity_subword_nmt.main(write_json, TEXT_FIX)
