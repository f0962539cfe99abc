"""Significance half of make_parity_fixtures.py: sacrebleu 2.6.0's bootstrap confidence,
paired bootstrap resampling and paired approximate randomization on the committed fixture
files, several seeds, plus NumPy's raw draws (the generator the tests replay)."""
import os

import numpy as np
from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.significance import PairedTest

LINES = 150
SYSTEMS = ["hyp.light.de", "hyp.heavy.de", "hyp.with_empty.de", "hyp.punct_unicode.de"]
METRICS = {
    "bleu": lambda: BLEU(), "bleu-floor": lambda: BLEU(smooth_method="floor", lowercase=True),
    "chrf": lambda: CHRF(), "chrf++": lambda: CHRF(word_order=2), "chrf-eps": lambda: CHRF(eps_smoothing=True),
    "ter": lambda: TER(),
}


def result(r):
    def num(x):
        return None if x is None else float(x)
    return {"score": float(r.score), "p_value": num(r.p_value), "mean": num(r.mean), "ci": num(r.ci)}


def main(write_json, lines, parity):
    ref = lines("ref.de", LINES)
    systems = {name: lines(name, LINES) for name in SYSTEMS}
    out = {"lines": LINES, "reference": "ref.de", "draws": [], "confidence": [], "paired": []}
    for seed in [12345, 7, 2**33 + 5]:
        rng = np.random.default_rng(seed)
        choice = rng.choice(LINES, size=(3, LINES), replace=True).ravel().tolist()
        rng = np.random.default_rng(seed)
        bools = rng.integers(2, size=(3, LINES), dtype=bool).ravel().astype(int).tolist()
        out["draws"].append({"seed": seed, "n": LINES, "choice": choice, "booleans": bools})
    for seed in ["12345", "7"]:
        os.environ["SACREBLEU_SEED"] = seed
        for key, make in METRICS.items():
            for sys_name in ["hyp.heavy.de", "hyp.with_empty.de"]:
                for n in [1000, 200]:
                    m = make()
                    score = m.corpus_score(systems[sys_name], [ref], n_bootstrap=n)
                    out["confidence"].append({
                        "metric": key, "system": sys_name, "seed": int(seed), "samples": n, "score": float(score.score),
                        "mean": float(score._mean), "ci": float(score._ci),
                        "formatted": score.format(width=4, signature=m.get_signature().format())})
        for key, make in METRICS.items():
            for test, n in [("bs", 1000), ("ar", 400)]:
                named = [(name, systems[name]) for name in SYSTEMS]
                m = make()
                sigs, scores = PairedTest(named, {key: m}, references=[ref], test_type=test, n_samples=n)()
                name = list(sigs.keys())[0]
                out["paired"].append({"metric": key, "test": test, "seed": int(seed), "samples": n,
                                      "signature": sigs[name].format(),
                                      "results": [result(r) for r in scores[name]]})
    os.environ.pop("SACREBLEU_SEED", None)
    write_json(os.path.join(parity, "significance.json"), out)
