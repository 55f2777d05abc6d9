#!/usr/bin/env python3
"""Writes Tests/Fixtures/reference.safetensors with Python's `safetensors` (run once; the output
is committed and read by Tests/NNTests/SafeTensorsTests.swift).

    python3 scripts/make_safetensors_fixture.py [OUTPUT]   # default: Tests/Fixtures/reference.safetensors
    python3 scripts/make_safetensors_fixture.py --check FILE   # load FILE (e.g. one written by Swift)

Every value is exactly representable in its dtype, so the test compares bit for bit:
  layers.0.weight  F32 [3, 4]  (4*i + j - 5.5) / 8
  layers.0.bias    F32 [3]     0.5, -0.25, 2**-140 (a subnormal)
  double           F64 [2, 2]  pi, -0.0, 2**-1074, 1e300
  half             F16 [4]     1, -2.5, 65504, 2**-24 (the largest half and the smallest subnormal)
  bhalf            BF16 [3]    1, -3.140625, 2**100
  empty            F32 [0, 3]
  scalar           F32 []      42
metadata: {"format": "pt", "source": "scripts/make_safetensors_fixture.py"}
Needs torch and safetensors (written with torch 2.15, safetensors 0.8).
"""
import math
import os
import sys

import torch
from safetensors.torch import load_file, safe_open, save_file


def main():
    if sys.argv[1:2] == ["--check"]:
        path = sys.argv[2]
        with safe_open(path, "pt") as f:
            print("metadata:", f.metadata())
        for name, t in load_file(path).items():
            print(name, t.dtype, list(t.shape), t.flatten().tolist())
        return
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "Tests", "Fixtures", "reference.safetensors")
    i, j = torch.meshgrid(torch.arange(3.0), torch.arange(4.0), indexing="ij")
    tensors = {
        "layers.0.weight": ((4 * i + j - 5.5) / 8).to(torch.float32),
        "layers.0.bias": torch.tensor([0.5, -0.25, 2.0**-140], dtype=torch.float32),
        "double": torch.tensor([[math.pi, -0.0], [2.0**-1074, 1e300]], dtype=torch.float64),
        "half": torch.tensor([1.0, -2.5, 65504.0, 2.0**-24], dtype=torch.float16),
        "bhalf": torch.tensor([1.0, -3.140625, 2.0**100], dtype=torch.bfloat16),
        "empty": torch.zeros(0, 3, dtype=torch.float32),
        "scalar": torch.tensor(42.0, dtype=torch.float32),
    }
    save_file(tensors, out, metadata={"format": "pt", "source": "scripts/make_safetensors_fixture.py"})
    for name, t in tensors.items():
        print(name, t.dtype, list(t.shape), t.flatten().tolist())
    print(f"wrote {out} ({os.path.getsize(out)} bytes)")


if __name__ == "__main__":
    main()
