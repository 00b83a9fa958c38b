#!/usr/bin/python3
"""Reference data for tests/data/dataloader_test.cpp: torch.utils.data.DataLoader's batches.

    /usr/bin/python3 scripts/reference/dataloader_reference.py
Writes tests/data/reference/loader_*.npy: the batches PyTorch 1.13 yields after torch.manual_seed(s)
(shuffle on and off, drop_last, two epochs, a draw after the loop), and the first shuffled
FashionMNIST batch (ToTensor scaling, u8 / 255) of DataLoader(train, batch_size=32, shuffle=True).
"""
import os
import sys

import numpy as np
import torch
from torch.utils.data import DataLoader, TensorDataset

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from models_reference import read_idx  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "tests", "data", "reference")
FASHION = "/usr/share/datasets/fashion-mnist"


def epochs(loader, count):
    return np.concatenate([torch.cat([y for _, y in loader]).numpy() for _ in range(count)])


def main():
    os.makedirs(OUT, exist_ok=True)
    ds = TensorDataset(torch.arange(10, dtype=torch.float32).unsqueeze(1), torch.arange(10))
    torch.manual_seed(0)
    order = epochs(DataLoader(ds, batch_size=4, shuffle=True), 2)
    after = torch.rand(1)  # the generator's position after two epochs
    np.save(os.path.join(OUT, "loader_shuffle_two_epochs.npy"), order)
    np.save(os.path.join(OUT, "loader_shuffle_after.npy"), after.numpy())
    torch.manual_seed(0)
    np.save(os.path.join(OUT, "loader_plain_drop_last.npy"),
            epochs(DataLoader(ds, batch_size=3, shuffle=False, drop_last=True), 1))
    np.save(os.path.join(OUT, "loader_plain_after.npy"), torch.rand(1).numpy())

    images = read_idx(os.path.join(FASHION, "train-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(FASHION, "train-labels-idx1-ubyte.gz")).astype(np.int64)
    train = TensorDataset(torch.from_numpy(images.copy()), torch.from_numpy(labels))
    torch.manual_seed(42)
    x, y = next(iter(DataLoader(train, batch_size=32, shuffle=True)))
    np.save(os.path.join(OUT, "loader_fashion_first_x.npy"), (x.unsqueeze(1).to(torch.float32).div(255)).numpy())
    np.save(os.path.join(OUT, "loader_fashion_first_y.npy"), y.numpy())


if __name__ == "__main__":
    main()
