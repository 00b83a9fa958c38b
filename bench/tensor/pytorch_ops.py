"""The PyTorch 1.13 side of bench_tensor (bench/bench_tensor.cpp): the same tensor-math cases on the
same data, each timed as the median of --reps calls; prints `NAME MICROSECONDS` per case.

    /usr/bin/python3 bench/tensor/pytorch_ops.py --threads 1 --reps 50
"""
import argparse
import math
import time

import torch


def wave(rows, cols, phase):
    """The C++ side's inputs: sin(0.737 i + phase) · 2 over the elements in order, float32."""
    i = torch.arange(rows * cols, dtype=torch.float64)
    return (torch.sin(i * 0.737 + phase) * 2).to(torch.float32).reshape(rows, cols)


def cases(rows, cols):
    x, y = wave(rows, cols, 0.3), wave(rows, cols, 1.3)
    p = x.abs() + 0.5
    return {
        "add": lambda: x + y,
        "mul": lambda: x * y,
        "add_scalar": lambda: x + 1.0,
        "div_scalar": lambda: x / 255.0,
        "rsub_scalar": lambda: 1.0 - x,
        "pow_2": lambda: x.pow(2),
        "pow_3": lambda: x.pow(3),
        "sqrt": lambda: p.sqrt(),
        "exp": lambda: x.exp(),
        "log": lambda: p.log(),
        "sigmoid": lambda: x.sigmoid(),
        "tanh": lambda: x.tanh(),
        "relu": lambda: x.relu(),
        "abs": lambda: x.abs(),
        "clamp": lambda: x.clamp(-0.5, 0.5),
        "round": lambda: x.round(),
        "maximum": lambda: torch.maximum(x, y),
        "gt_scalar": lambda: x > 0,
        "where": lambda: torch.where(x > 0, x, y),
        "sum": lambda: x.sum(),
        "mean": lambda: x.mean(),
        "sum_dim0": lambda: x.sum(0),
        "sum_dim1": lambda: x.sum(1),
        "max": lambda: x.max(),
        "argmax_dim1": lambda: x.argmax(1),
        "softmax_dim1": lambda: x.softmax(1),
        "log_softmax_dim1": lambda: x.log_softmax(1),
        "transpose_contiguous": lambda: x.t().contiguous(),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--reps", type=int, default=50)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    with torch.inference_mode():
        for rows, cols in ((32, 784), (1000, 1000)):
            for name, fn in cases(rows, cols).items():
                fn()
                t = []
                for _ in range(args.reps):
                    t0 = time.perf_counter()
                    fn()
                    t.append(time.perf_counter() - t0)
                t.sort()
                print(f"{name}|{rows}x{cols} {t[len(t) // 2] * 1e6:.3f}", flush=True)


if __name__ == "__main__":
    main()
