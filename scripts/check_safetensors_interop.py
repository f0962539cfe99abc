#!/usr/bin/env python3
"""Load a safetensors file with the reference `safetensors` package and print it as JSON.

Used by the opt-in interop test in Tests/S2SModelTests/SafeTensorsTests.swift
(S2S_PYTHON=/path/to/python with safetensors + numpy): Swift writes a file, this script loads it
with `safe_open(framework="numpy")` (raw `deserialize` for BF16, which numpy lacks), prints
every value (floats as exact doubles), and re-writes the same tensors with the reference writer
to OUT so Swift can read Python's bytes back and compare them with its own.

    python check_safetensors_interop.py IN.safetensors OUT.safetensors
"""
import json
import sys

import numpy as np
from safetensors import deserialize, safe_open
from safetensors.numpy import save_file


NUMPY = {"F32": "<f4", "F16": "<f2", "F64": "<f8", "I64": "<i8", "I32": "<i4"}


def main():
    src, dst = sys.argv[1], sys.argv[2]
    with open(src, "rb") as f:
        raw = f.read()
    out = {"__metadata__": {}, "tensors": {}}
    arrays = {}
    with safe_open(src, framework="numpy") as f:
        out["__metadata__"] = f.metadata() or {}
        for name, info in deserialize(raw):
            dtype, shape = info["dtype"], list(info["shape"])
            if dtype == "BF16":
                # numpy has no bfloat16: widen the raw bits to float32 (exact).
                bits = np.frombuffer(bytes(info["data"]), dtype="<u2").astype(np.uint32) << 16
                array = bits.view(np.float32).reshape(shape)
            else:
                array = f.get_tensor(name)  # the reference numpy loader
                assert array.dtype == np.dtype(NUMPY[dtype]), (name, array.dtype, dtype)
                assert list(array.shape) == shape, (name, array.shape, shape)
            arrays[name] = np.ascontiguousarray(array) if array.ndim else array
            flat = array.reshape(-1)
            values = [int(v) for v in flat] if array.dtype.kind == "i" else [float(v) for v in flat]
            out["tensors"][name] = {"dtype": dtype, "shape": shape, "values": values}
    # Python's own writer, same tensors (BF16 comes back as F32), for Swift to read back.
    save_file(arrays, dst, metadata=out["__metadata__"] or None)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
