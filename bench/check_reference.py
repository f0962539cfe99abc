#!/usr/bin/env python3
"""Is bench/torch_seq2seq.py's model the model s2s runs? Loads a trained s2s model (by default the
shipped models/default) into the reference, decodes the first --lines sentences of --src greedily
and with beam 5 in batches of 32 (padded: the packed-sequence path), and counts the sentences whose
output, detokenized by the model's own pipeline, equals what `s2s translate` prints.
Rounding differs (s2s's kernels vs PyTorch's), so a rare near-tie may go the other way; a model
that differed would disagree on most sentences. Exits non-zero below --min-agreement.

    .build/bench-venv/bin/python bench/check_reference.py [--model models/default] [--lines 200]
"""
import argparse, json, math, os, struct, subprocess, sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_model import EOS, PAD, ReferenceSeq2Seq  # noqa: E402
from reference_search import beam, greedy  # noqa: E402


def read_safetensors(path):
    """{name: float32 tensor} and the metadata of a safetensors file (F32, F16 or BF16)."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    tensors = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        a, b = t["data_offsets"]
        raw = data[a:b]
        if t["dtype"] == "BF16":
            x = np.frombuffer(raw, dtype=np.uint16).astype(np.uint32) << 16
            array = x.view(np.float32)
        else:
            array = np.frombuffer(raw, dtype={"F32": np.float32, "F16": np.float16}[t["dtype"]]).astype(np.float32)
        tensors[name] = torch.from_numpy(array.reshape(t["shape"]).copy())
    return tensors, header.get("__metadata__", {})


def ids(s2s, pipeline, lines):
    """Source ids of `lines` by the model's own pipeline (`s2s tokenize --ids`)."""
    out = subprocess.run([s2s, "tokenize", "--pipeline", pipeline, "--side", "source", "--ids"],
                         input="\n".join(lines) + "\n", capture_output=True, text=True, check=True).stdout
    return [[int(x) for x in line.split()] for line in out.splitlines()]


def text(s2s, pipeline, outputs):
    """Target ids as text (`s2s detokenize --ids`): what `s2s translate` prints for them."""
    out = subprocess.run([s2s, "detokenize", "--pipeline", pipeline, "--side", "target", "--ids"],
                         input="".join(" ".join(map(str, o)) + "\n" for o in outputs),
                         capture_output=True, text=True, check=True).stdout
    return out.splitlines()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--s2s", default=".build/release/s2s")
    p.add_argument("--model", default="models/default")
    p.add_argument("--src", default="corpora/multi30k/val.en")
    p.add_argument("--lines", type=int, default=200)
    p.add_argument("--min-agreement", type=float, default=0.9)
    a = p.parse_args()
    weights, meta = read_safetensors(os.path.join(a.model, "model.safetensors"))
    c = json.loads(meta["model_config"])
    model = ReferenceSeq2Seq(c["sourceVocabulary"], c["targetVocabulary"], c["embedding"], c["hidden"],
                             c["decoderHidden"], c["attentionSize"], c["layers"]).eval()
    model.load_state_dict(weights)  # strict: every name and shape must be MODEL.md's
    with open(a.src, encoding="utf-8") as f:
        lines = [next(f).rstrip("\n") for _ in range(a.lines)]
    pipeline = os.path.join(a.model, "vocab")
    sources = [s + [EOS] for s in ids(a.s2s, pipeline, lines)]
    for name, flags, search in (("greedy", ["--greedy"], lambda s, n, m: greedy(model, s, n, m)),
                                ("beam 5", ["--beam", "5", "--alpha", "0.6"], lambda s, n, m: beam(model, s, n, 5, 0.6, m))):
        theirs = subprocess.run([a.s2s, "translate", "--model", a.model, "--precision", "fp32", *flags],
                                input="\n".join(lines) + "\n", capture_output=True, text=True,
                                check=True).stdout.splitlines()
        ours = []
        with torch.inference_mode():
            for i in range(0, len(sources), 32):
                part = sources[i:i + 32]
                width = max(map(len, part))
                src = torch.tensor([s + [PAD] * (width - len(s)) for s in part])
                lengths = torch.tensor([len(s) for s in part])
                # s2s's length limit, ceil(1.5 x source length) + 5 (--max-len-ratio, --max-len-extra),
                # is per sentence: decode to the batch's longest and cut (exact for greedy search).
                limits = [math.ceil(1.5 * len(s)) + 5 for s in part]
                ours += [o[:n] for o, n in zip(search(src, lengths, max(limits)), limits)]
        same = sum(x == y for x, y in zip(text(a.s2s, pipeline, ours), theirs))
        print(f"{name}: {same}/{len(lines)} sentences identical to s2s translate")
        if same < a.min_agreement * len(lines):
            sys.exit(f"check_reference: {name} agrees on {same} of {len(lines)} sentences only")


if __name__ == "__main__":
    main()
