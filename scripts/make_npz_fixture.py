#!/usr/bin/env python3
"""Writes the tiny .npz fixtures used by Tests/NNTests (run once; the output is committed).

    python3 scripts/make_npz_fixture.py [OUTPUT_DIR]   # default: Tests/Fixtures

tiny_octmnist.npz  the MedMNIST layout of octmnist.npz, written like MedMNIST's own files with
                   numpy.savez_compressed (zip entries deflated): train_images (6x28x28 uint8),
                   val_images (3x28x28), test_images (4x28x28) and *_labels (Nx1 uint8, in 0..3).
                   Pixel (i, r, c) of a split = (split_base + 37*i + 5*r + 3*c) % 256;
                   labels[i] = (split_base + i) % 4 with split_base 0 (train), 1 (val), 2 (test).
tiny_dtypes.npz    numpy.savez (entries stored, not compressed) of one array per supported
                   dtype, checked value by value in NPZReaderTests.swift.

Content is fully deterministic. Needs numpy (any 1.x or 2.x).
"""
import os
import sys

import numpy as np

SPLITS = {"train": (0, 6), "val": (1, 3), "test": (2, 4)}


def split_arrays(base, n):
    i, r, c = np.meshgrid(np.arange(n), np.arange(28), np.arange(28), indexing="ij")
    images = ((base + 37 * i + 5 * r + 3 * c) % 256).astype(np.uint8)
    labels = ((base + np.arange(n)) % 4).astype(np.uint8).reshape(n, 1)
    return images, labels


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "Tests", "Fixtures")
    os.makedirs(out, exist_ok=True)

    arrays = {}
    for name, (base, n) in SPLITS.items():
        arrays[f"{name}_images"], arrays[f"{name}_labels"] = split_arrays(base, n)
    np.savez_compressed(os.path.join(out, "tiny_octmnist.npz"), **arrays)

    np.savez(
        os.path.join(out, "tiny_dtypes.npz"),
        u1=np.array([[0, 1, 2], [253, 254, 255]], dtype=np.uint8),
        i1=np.array([-128, -1, 0, 127], dtype=np.int8),
        i4=np.array([-2147483648, -1, 0, 2147483647], dtype="<i4"),
        i8=np.array([[-(2**40)], [0], [2**40 + 7]], dtype="<i8"),
        u2=np.array([0, 65535], dtype="<u2"),
        f4=np.array([[0.5, -1.25], [3.0e38, 1.0e-38]], dtype="<f4"),
        f8=np.array([np.pi, -0.0, 1e300], dtype="<f8"),
        b1=np.array([True, False, True]),
        scalar=np.array(42, dtype="<i8"),
        empty=np.zeros((0, 28, 28), dtype=np.uint8),
    )
    for name in ("tiny_octmnist.npz", "tiny_dtypes.npz"):
        path = os.path.join(out, name)
        print(f"wrote {path} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
