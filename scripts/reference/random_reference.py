#!/usr/bin/python3
"""Reference data for tests/core/random_pytorch_test.cpp: PyTorch 1.13's CPU random streams.

    /usr/bin/python3 scripts/reference/random_reference.py
Writes tests/core/data/random/<case>.npy: what each call returns right after torch.manual_seed(s).
ojo's Generator reproduces torch's engine and transforms, so the same seed gives the same values.
"""
import os

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "tests", "core", "data", "random")


def case(name, seed, fn):
    torch.manual_seed(seed)
    value = fn()
    np.save(os.path.join(OUT, name + ".npy"), value.detach().numpy())


def main():
    os.makedirs(OUT, exist_ok=True)
    case("randn_pair", 42, lambda: torch.cat([torch.randn(1), torch.randn(1)]))
    case("randn_7", 1, lambda: torch.randn(7))
    case("randn_5_f64", 1, lambda: torch.randn(5, dtype=torch.float64))
    case("randn_40", 2, lambda: torch.randn(40))
    case("randn_37_f64", 2, lambda: torch.randn(37, dtype=torch.float64))
    case("randn_2x3x4", 9, lambda: torch.randn(2, 3, 4))
    case("rand_10", 3, lambda: torch.rand(10))
    case("rand_6_f64", 3, lambda: torch.rand(6, dtype=torch.float64))
    case("randint_20", 4, lambda: torch.randint(-5, 7, (20,)))
    case("randint_wide", 4, lambda: torch.randint(0, 2 ** 40, (5,)))
    case("randperm_30", 5, lambda: torch.randperm(30))
    case("uniform_9", 6, lambda: torch.empty(9).uniform_(-0.3, 0.7))
    case("normal_20", 6, lambda: torch.empty(20).normal_(1.5, 0.25))
    case("dropout_50", 7, lambda: torch.nn.functional.dropout(torch.ones(50), 0.3))
    case("kaiming_normal_64x32", 8, lambda: torch.nn.init.kaiming_normal_(torch.empty(64, 32), nonlinearity="relu"))
    case("xavier_uniform_16x8", 8, lambda: torch.nn.init.xavier_uniform_(torch.empty(16, 8)))
    case("kaiming_uniform_conv", 8, lambda: torch.nn.init.kaiming_uniform_(torch.empty(4, 3, 3, 3), a=5 ** 0.5))


if __name__ == "__main__":
    main()
