"""The PyTorch 1.13 side of bench_train (see bench/train/common.hpp for the cases and the output).

    /usr/bin/python3 bench/train/pytorch_train.py --case tinyvgg --threads 2 --steps 300

The guide's models and loop, same data as the C++ workers (FashionMNIST u8 read from the IDX
files, converted to float/255 per batch as ToTensor does).
"""
import argparse
import os
import resource
import sys
import time

import torch
from torch import nn

# The guide's models and the IDX reader, as the reference scripts define them.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "reference"))
from models_reference import CIFAR10Model, FashionMNISTModelV1, FashionMNISTModelV2, read_idx  # noqa: E402

BATCH, WARMUP, INFER_CALLS, INFER256_CALLS = 32, 3, 400, 10


def load_idx(path):
    return torch.from_numpy(read_idx(path).copy())


def report(seconds, steps, loss):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(f"time_s {seconds:.9f}\nsteps {steps}\nloss {loss:.6f}\npeak_rss_mb {peak:.1f}", flush=True)


def train(args, model, images, labels):
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    model.train()
    batches = images.shape[0] // BATCH
    loss_sum, seconds = 0.0, 0.0
    for step in range(WARMUP + args.steps):
        if step == WARMUP:
            loss_sum = 0.0
        t0 = time.perf_counter()
        b = step % batches
        x = images[b * BATCH:(b + 1) * BATCH]
        if x.dtype == torch.uint8:
            x = (x.to(torch.float32) / 255.0).unsqueeze(1)
        y = labels[b * BATCH:(b + 1) * BATCH].to(torch.int64)
        loss = loss_fn(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        loss_sum += loss.item()
        if step >= WARMUP:
            seconds += time.perf_counter() - t0
    report(seconds, args.steps, loss_sum / args.steps)


def infer(model, x, calls):
    model.eval()
    with torch.inference_mode():
        for _ in range(20):
            model(x)
        t = []
        for _ in range(calls):
            t0 = time.perf_counter()
            model(x)
            t.append(time.perf_counter() - t0)
    t.sort()
    report(t[len(t) // 2], 1, 0.0)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--case", required=True)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist/")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    if args.case == "cifar":
        n = BATCH * 8
        return train(args, CIFAR10Model(), torch.randn(n, 3, 32, 32), torch.randint(0, 10, (n,), dtype=torch.uint8))
    images = load_idx(args.data + "train-images-idx3-ubyte.gz")
    labels = load_idx(args.data + "train-labels-idx1-ubyte.gz")
    if args.case == "v1":
        return train(args, FashionMNISTModelV1(784, 100, 10), images, labels)
    if args.case == "tinyvgg":
        return train(args, FashionMNISTModelV2(1, 10, 10), images, labels)
    batch = lambda n: (images[:n].to(torch.float32) / 255.0).unsqueeze(1)
    if args.case == "infer1":
        return infer(FashionMNISTModelV2(1, 10, 10), batch(1), INFER_CALLS)
    if args.case == "infer256":
        return infer(FashionMNISTModelV2(1, 10, 10), batch(256), INFER256_CALLS)
    raise SystemExit(f"unknown case {args.case}")


if __name__ == "__main__":
    main()
