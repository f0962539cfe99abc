#!/usr/bin/env python3
"""Write scripts/fixtures/python_written.safetensors with the reference `safetensors` package.

Tests/S2SModelTests/SafeTensorsTests.swift reads this file and checks every value bit for bit,
proving the Swift reader understands what the Hugging Face implementation writes. Run with a
Python that has `safetensors` and `numpy`:

    /tmp/sbvenv/bin/pip install safetensors numpy
    /tmp/sbvenv/bin/python scripts/make_safetensors_fixture.py

The values below are repeated as constants in the Swift test; change both together.
"""
import ctypes
import os

import numpy as np
import safetensors
from safetensors import TensorSpec, serialize_file

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fixtures", "python_written.safetensors")


def spec(array, dtype_name):
    array = np.array(array, order="C", copy=True)  # keeps 0-d arrays 0-d (ascontiguousarray would not)
    buf = ctypes.create_string_buffer(array.tobytes(), array.nbytes)
    keep.append(buf)
    return TensorSpec(dtype=dtype_name, shape=list(array.shape), data_ptr=ctypes.addressof(buf), data_len=array.nbytes)


def bf16(values):
    """float32 -> bfloat16 bits, round to nearest even (values here are exact in bf16)."""
    bits = np.array(values, dtype=np.float32).view(np.uint32)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    return rounded.astype(np.uint16)


keep = []
tensors = {
    "weights.f32": spec(np.array([[0.0, -0.0, 1.5], [-2.25, 3.4028235e38, 1.4e-45]], dtype=np.float32), "float32"),
    "weights.f16": spec(np.array([1.0, -0.5, 65504.0, 5.960464477539063e-08, np.inf], dtype=np.float16), "float16"),
    "weights.bf16": spec(bf16([1.0, -3.140625, 1.0e30]), "bfloat16"),
    "weights.f64": spec(np.array([0.1, 2.5], dtype=np.float64), "float64"),
    "optimizer.step": spec(np.array(123456789012, dtype=np.int64), "int64"),
    "batcher.position": spec(np.array([[-1, 2147483647], [-2147483648, 0]], dtype=np.int32), "int32"),
    "empty": spec(np.zeros((0, 3), dtype=np.float32), "float32"),
}
metadata = {"step": "42", "note": "ünïcode \"quoted\" \\ back"}
serialize_file(tensors, OUT, metadata=metadata)
print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes) with safetensors {safetensors.__version__}")
