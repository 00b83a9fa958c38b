#!/usr/bin/python3
"""Reference data for tests/io/idx_test.cpp: FashionMNIST read by Python's gzip + NumPy.

    /usr/bin/python3 scripts/reference/idx_reference.py
Writes tests/io/data/fashion_train_first16.npy (the first 16 training images, uint8 {16, 28, 28})
and fashion_train_labels_first64.npy (uint8 {64}), decoded independently of ojo.
"""
import gzip
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "tests", "io", "data")
FASHION = "/usr/share/datasets/fashion-mnist"


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    assert data[0] == 0 and data[1] == 0 and data[2] == 8
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


os.makedirs(OUT, exist_ok=True)
np.save(os.path.join(OUT, "fashion_train_first16.npy"), read_idx(os.path.join(FASHION, "train-images-idx3-ubyte.gz"))[:16])
np.save(os.path.join(OUT, "fashion_train_labels_first64.npy"),
        read_idx(os.path.join(FASHION, "train-labels-idx1-ubyte.gz"))[:64])
