#!/usr/bin/env python3
"""Pick Japanese hypothesis/reference pairs for the BLEU tokenizer fixtures from a Tatoeba
English–Japanese file (`English<TAB>Japanese` per line, e.g. the manythings.org Anki export).

Tatoeba often has two Japanese translations of one English sentence: the first becomes the
reference, the second the "hypothesis" — real, differently worded Japanese, the situation BLEU
on Japanese must handle. English sentences are taken in file order, every STEP-th one among
those with at least two distinct translations, until COUNT pairs.

    python3 scripts/extract_ja_pairs.py CORPUS.txt Tests/S2SEvalTests/Fixtures/languages
"""
import sys

COUNT = 240
STEP = 20


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: extract_ja_pairs.py TATOEBA_ENG_JPN.txt OUT_DIR")
    src, out = sys.argv[1], sys.argv[2]
    order, translations = [], {}
    with open(src, encoding="utf-8") as f:
        for line in f:
            en, ja = line.rstrip("\n").split("\t")[:2]
            if en not in translations:
                order.append(en)
                translations[en] = []
            if ja not in translations[en]:
                translations[en].append(ja)
    multi = [en for en in order if len(translations[en]) >= 2]
    picked = multi[::STEP][:COUNT]
    with open(f"{out}/ja.en", "w", encoding="utf-8") as e, \
         open(f"{out}/ja.ref", "w", encoding="utf-8") as r, \
         open(f"{out}/ja.hyp", "w", encoding="utf-8") as h:
        for en in picked:
            e.write(en + "\n")
            r.write(translations[en][0] + "\n")
            h.write(translations[en][1] + "\n")
    print(f"{len(picked)} pairs from {len(multi)} English sentences with several translations")


if __name__ == "__main__":
    main()
