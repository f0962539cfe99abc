"""subword-nmt 0.3.8 half of make_parity_fixtures.py: learn-bpe and apply-bpe cases for every
option, run through subword-nmt's own command line (so line splitting, stdin and line ends are
the tool's), including its test vectors (test_glossaries.py, test_bpe.py's process_line cases)
and the corner cases of issue 21."""
import os
import random
import subprocess
import sys
import tempfile

from subword_nmt.apply_bpe import BPE, isolate_glossary

HERE = os.path.dirname(os.path.abspath(__file__))
TEXT_FIX = os.path.join(HERE, "..", "Tests", "S2STextTests", "Fixtures")


def run(args, stdin, tmp):
    # The console script pip installs beside the interpreter.
    tool = os.path.join(os.path.dirname(sys.executable), "subword-nmt")
    res = subprocess.run([tool, *args], input=stdin,
                         capture_output=True, cwd=tmp)
    if res.returncode != 0:
        raise RuntimeError(f"subword-nmt {args}: {res.stderr.decode()}")
    return res.stdout.decode("utf-8")


def fixture_text(name, lines=None):
    with open(os.path.join(TEXT_FIX, name), encoding="utf-8", newline="") as f:
        text = f.read()
    if lines:
        text = "".join(text.splitlines(keepends=True)[:lines])
    return text


def corner_words(seed, n):
    """Words mixing Python-whitespace characters that are not ' ' with combining marks: the
    class of inputs where per-code-point and per-grapheme splitting disagree."""
    rng = random.Random(seed)
    alphabet = ["z", "c", "a", "\t", "\u00a0", "\u202f", "\u3000", "\u001f", "\u0301", "\u0308", "\u20dd", "e\u0301"]
    lines = []
    for _ in range(n):
        words = ["".join(rng.choice(alphabet) for _ in range(rng.randint(2, 6))) for _ in range(rng.randint(1, 4))]
        lines.append(" ".join(words))
    return "\n".join(lines) + "\n"


def learn_cases(tmp):
    sample = fixture_text("val200.en", 120)
    cases = [
        ("issue 21: tab inside a word before a combining accent", "z\tc\u0301\n", [], 5, 1),
        ("issue 21: no-break space inside a word before a combining accent", "z\u00a0c\u0301\n", [], 5, 1),
        ("combining marks after a space-like character, seeded mix", corner_words(21, 60), [], 300, 1),
        ("combining marks after a space-like character, second seed", corner_words(7, 40), [], 200, 2),
        ("stdin, default options", sample, [], 200, 2),
        ("--total-symbols", sample, ["--total-symbols"], 250, 2),
        ("--total-symbols below the character count", sample, ["-t"], 20, 2),
        ("--min-frequency 5", sample, [], 300, 5),
        ("no final newline", "iron cement\niron cement ironing", [], 30, 1),
    ]
    out = []
    for name, text, extra, symbols, min_freq in cases:
        args = ["learn-bpe", "-s", str(symbols), "--min-frequency", str(min_freq), *extra]
        out.append({"name": name, "input": text, "dict_input": False, "total_symbols": "--total-symbols" in extra or "-t" in extra,
                    "symbols": symbols, "min_frequency": min_freq, "codes": run(args, text.encode(), tmp)})
    # --dict-input: subword-nmt's own get-vocab output of the sample, and a hand-made file with a
    # repeated word (counts are summed) and combining marks.
    vocab = run(["get-vocab"], sample.encode(), tmp)
    hand = "z\tc\u0301 3\nabc 4\nabc 2\nab\u0308c 5\nx\u00a0y 2\n"
    for name, text, symbols, extra in [("--dict-input from get-vocab", vocab, 200, []),
                                       ("--dict-input, repeated words summed", hand, 20, []),
                                       ("--dict-input with --total-symbols", vocab, 150, ["-t"])]:
        args = ["learn-bpe", "--dict-input", "-s", str(symbols), "--min-frequency", "1", *extra]
        out.append({"name": name, "input": text, "dict_input": True, "total_symbols": bool(extra), "symbols": symbols,
                    "min_frequency": 1, "codes": run(args, text.encode(), tmp)})
    return out, vocab


def apply_cases(tmp, vocab):
    sample = fixture_text("val200.en", 120)
    codes = run(["learn-bpe", "-s", "300"], sample.encode(), tmp)
    iron = run(["learn-bpe", "-s", "8", "--min-frequency", "1"], b"iron cement\ncement ironing\nice on\n", tmp)
    corner_codes = run(["learn-bpe", "-s", "200", "--min-frequency", "1"], corner_words(21, 60).encode(), tmp)
    with open(os.path.join(tmp, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write(vocab)
    cases = [
        # test_bpe.py's process_line cases, with codes learned on a line of their words.
        ("test_bpe: trailing whitespace kept", iron, "  iron cement  \n", [], None),
        ("test_bpe: UTF-8 whitespace is a character", iron, "iron\u00a0cement\n", [], None),
        ("test_bpe: empty line", iron, "\n", [], None),
        ("issue 21: no final newline", iron, "iron cement", [], None),
        ("line ends: CRLF, CR, U+2028, form feed, blank lines, no final newline", iron,
         "iron cement\r\nice on\rcement\u2028iron\x0ciron  \n\n  \ncement", [], None),
        ("combining marks after space-like characters", corner_codes, corner_words(22, 30), [], None),
        ("--vocabulary", codes, sample, ["--vocabulary", "vocab.txt"], None),
        ("--vocabulary --vocabulary-threshold 2", codes, sample, ["--vocabulary", "vocab.txt", "--vocabulary-threshold", "2"], None),
        ("--vocabulary --vocabulary-threshold 5", codes, sample, ["--vocabulary", "vocab.txt", "--vocabulary-threshold", "5"], None),
        ("--glossaries words", codes, sample, ["--glossaries", "man", "woman", "dog"], None),
        ("--glossaries regexes", codes, sample, ["--glossaries", "[A-Z]\\w+", "o.", "\\d+"], None),
        ("--glossaries with --vocabulary", codes, sample,
         ["--glossaries", "in", "ing", "--vocabulary", "vocab.txt", "--vocabulary-threshold", "3"], None),
        ("--separator", codes, sample, ["--separator", "~~"], None),
        # test_glossaries.py's words, as lines.
        ("test_glossaries: like", codes, "word like likeword wordlikeword likelike wordlikewordlike\n", ["--glossaries", "like"], None),
        ("test_glossaries: several", codes, "wordlikeUSAwordManuelManuelwordUSA\n", ["--glossaries", "like", "Manuel", "USA"], None),
        ("test_glossaries: regexes", codes,
         "wordlike<country>USA</country>word10001word<name>Manuel</name>word<country>USA</country>\n",
         ["--glossaries", "<country>\\w*</country>", "<name>\\w*</name>", "\\d+"], None),
    ]
    out = []
    for name, c, text, extra, _ in cases:
        with open(os.path.join(tmp, "codes.txt"), "w", encoding="utf-8") as f:
            f.write(c)
        options = {"glossaries": [], "vocabulary": None, "vocabulary_threshold": None, "separator": "@@"}
        i = 0
        while i < len(extra):
            if extra[i] == "--glossaries":
                i += 1
                while i < len(extra) and not extra[i].startswith("--"):
                    options["glossaries"].append(extra[i]); i += 1
                continue
            key = extra[i][2:].replace("-", "_")
            options[key] = vocab if key == "vocabulary" else int(extra[i + 1]) if key == "vocabulary_threshold" else extra[i + 1]
            i += 2
        expected = run(["apply-bpe", "-c", "codes.txt", *extra], text.encode(), tmp)
        out.append({"name": name, "codes": c, "input": text, "options": options, "output": expected})
    return out


def glossary_vectors():
    """test_glossaries.py: isolate_glossary and BPE._isolate_glossaries, outputs recomputed."""
    out = []
    for word in ["", "word", "like", "likeword", "wordlikeword", "likelike", "wordlikewordlike"]:
        out.append({"glossaries": ["like"], "word": word, "segments": isolate_glossary(word, "like")})
    class Codes:
        def readline(self): return "something"
        def seek(self, n): pass
        def read(self): return "a b\n"
    for gl, word in [(["like", "Manuel", "USA"], "wordlikeUSAwordManuelManuelwordUSA"),
                     (["<country>\\w*</country>", "<name>\\w*</name>", "\\d+"],
                      "wordlike<country>USA</country>word10001word<name>Manuel</name>word<country>USA</country>")]:
        out.append({"glossaries": gl, "word": word, "segments": BPE(Codes(), glossaries=gl)._isolate_glossaries(word)})
    return out


def main(write_json, _text_fix):
    with tempfile.TemporaryDirectory() as tmp:
        learn, vocab = learn_cases(tmp)
        write_json(os.path.join(TEXT_FIX, "subword-nmt-options", "cases.json"),
                   {"subword_nmt_version": "0.3.8", "learn": learn, "apply": apply_cases(tmp, vocab),
                    "glossaries": glossary_vectors()})
