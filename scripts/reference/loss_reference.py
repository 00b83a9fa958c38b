#!/usr/bin/python3
"""Reference data for tests/nn/loss_test.cpp: PyTorch 1.13 losses, forward and backward.

Run with Debian's interpreter (PyTorch 1.13):
    /usr/bin/python3 scripts/reference/loss_reference.py
Writes into tests/nn/data/:
  loss_cases.txt      one line per case: name loss reduction ignore_index label_smoothing
  loss/<case>.{input,target,weight,pos_weight,out,gout,grad}.npy
                      inputs (deterministic formulas of arange, never random), the output, a fixed
                      upstream gradient `gout` shaped like out, and `grad` = d(sum(out*gout))/d input
  loss_repr.txt       key|repr(module)|state_dict keys, for the module printing test
The C++ test builds each case from the files and the line (weight/pos_weight present or not) and
compares at atol 1e-6 + rtol 1e-5.
"""
import os
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "tests", "nn", "data")
OUT = os.path.join(DATA, "loss")
L = torch.tensor


def wave(*shape, k=0.0, scale=2.0):
    """Distinct values in about [-scale, scale]: a sine of arange."""
    n = int(np.prod(shape)) if shape else 1
    v = np.sin(np.arange(n, dtype=np.float64) * 0.737 + 0.3 + k) * scale
    return torch.tensor(v.reshape(shape), dtype=torch.float32)


def pos(*shape, k=0.0):
    """Strictly positive values in about [0.5, 2.5] (class weights)."""
    return wave(*shape, k=k, scale=1.0) + 1.5


def unit(*shape, k=0.0):
    """Values in (0, 1) (probabilities and soft binary targets)."""
    return torch.sigmoid(wave(*shape, k=k, scale=3.0))


def classes(shape, c, k=1):
    """Class indices in [0, c): (i * 7 + k) % c."""
    n = int(np.prod(shape)) if shape else 1
    return torch.tensor(((np.arange(n) * 7 + k) % c).reshape(shape), dtype=torch.int64)


def ignoring(t, positions, value=-100):
    t = t.clone()
    for p in positions:
        t.view(-1)[p] = value
    return t


# name -> (loss, input, target, options); every case runs with reduction none, mean and sum.
BASE = {
    # cross_entropy, class indices
    "ce": ("cross_entropy", wave(5, 4, scale=3), classes((5,), 4), {}),
    "ce_tinyvgg": ("cross_entropy", wave(32, 10, scale=2), classes((32,), 10), {}),
    "ce_weight": ("cross_entropy", wave(5, 4, scale=3), classes((5,), 4), {"weight": pos(4)}),
    "ce_ignore": ("cross_entropy", wave(6, 4, scale=3), ignoring(classes((6,), 4), [1, 4]), {}),
    "ce_ignore_index": ("cross_entropy", wave(6, 4, scale=3), classes((6,), 4),
                        {"ignore_index": 2, "weight": pos(4, k=1)}),
    "ce_all_ignored": ("cross_entropy", wave(2, 3), L([-100, -100]), {}),
    "ce_nd": ("cross_entropy", wave(2, 4, 3, 2), ignoring(classes((2, 3, 2), 4), [3, 8]), {"weight": pos(4)}),
    "ce_3d": ("cross_entropy", wave(2, 4, 5), classes((2, 5), 4), {}),
    "ce_batch1": ("cross_entropy", wave(1, 4), L([2]), {}),
    "ce_unbatched": ("cross_entropy", wave(4), L(3), {"weight": pos(4)}),
    "ce_large": ("cross_entropy", wave(3, 5) * 100, classes((3,), 5), {}),
    # label smoothing (torch 1.13's formula), with and without weight / ignored targets
    "ce_ls": ("cross_entropy", wave(5, 4, scale=3), classes((5,), 4), {"label_smoothing": 0.1}),
    "ce_ls_weight": ("cross_entropy", wave(5, 4, scale=3), classes((5,), 4),
                     {"label_smoothing": 0.1, "weight": pos(4)}),
    "ce_ls_ignore_weight": ("cross_entropy", wave(6, 4, scale=3), ignoring(classes((6,), 4), [0, 3]),
                            {"label_smoothing": 0.1, "weight": pos(4)}),
    "ce_ls_ignore": ("cross_entropy", wave(6, 4, scale=3), ignoring(classes((6,), 4), [0, 3]),
                     {"label_smoothing": 0.1}),
    "ce_ls_nd": ("cross_entropy", wave(2, 4, 3, 2), ignoring(classes((2, 3, 2), 4), [5]),
                 {"label_smoothing": 0.1, "weight": pos(4)}),
    # class-probability targets
    "ce_prob": ("cross_entropy", wave(5, 4, scale=3), torch.softmax(wave(5, 4, k=2), 1), {}),
    "ce_prob_weight": ("cross_entropy", wave(5, 4, scale=3), torch.softmax(wave(5, 4, k=2), 1), {"weight": pos(4)}),
    "ce_prob_ls": ("cross_entropy", wave(5, 4, scale=3), torch.softmax(wave(5, 4, k=2), 1),
                   {"label_smoothing": 0.1, "weight": pos(4)}),
    "ce_prob_nd": ("cross_entropy", wave(2, 4, 3, 2), torch.softmax(wave(2, 4, 3, 2, k=2), 1), {}),
    # nll_loss on log-probabilities
    "nll": ("nll_loss", torch.log_softmax(wave(5, 4, scale=3), 1), classes((5,), 4), {}),
    "nll_weight_ignore": ("nll_loss", torch.log_softmax(wave(6, 4, scale=3), 1), ignoring(classes((6,), 4), [2]),
                          {"weight": pos(4)}),
    "nll_ignore_index": ("nll_loss", torch.log_softmax(wave(6, 4, scale=3), 1), classes((6,), 4), {"ignore_index": 1}),
    "nll_nd": ("nll_loss", torch.log_softmax(wave(2, 4, 3, 2), 1), ignoring(classes((2, 3, 2), 4), [1]),
               {"weight": pos(4)}),
    "nll_unbatched": ("nll_loss", torch.log_softmax(wave(4), 0), L(1), {}),
    # binary cross-entropy
    "bce": ("binary_cross_entropy", unit(3, 4), unit(3, 4, k=1), {}),
    "bce_hard": ("binary_cross_entropy", unit(3, 4), classes((3, 4), 2).float(), {}),
    "bce_weight": ("binary_cross_entropy", unit(3, 4), unit(3, 4, k=1), {"weight": pos(4)}),
    "bce_weight_full": ("binary_cross_entropy", unit(3, 4), unit(3, 4, k=1), {"weight": pos(3, 4)}),
    "bce_edges": ("binary_cross_entropy", L([0.0, 1.0, 1.0, 0.0, 1e-30, 0.5]), L([0.0, 1.0, 0.5, 0.25, 0.0, 0.5]), {}),
    "bce_logits": ("binary_cross_entropy_with_logits", wave(3, 4, scale=4), unit(3, 4, k=1), {}),
    "bce_logits_extreme": ("binary_cross_entropy_with_logits", L([-100.0, -30.0, -1.0, 0.0, 1.0, 30.0, 100.0]),
                           L([0.0, 1.0, 0.5, 0.5, 0.0, 0.0, 1.0]), {}),
    "bce_logits_weight": ("binary_cross_entropy_with_logits", wave(3, 4, scale=4), unit(3, 4, k=1), {"weight": pos(4)}),
    "bce_logits_pos_weight": ("binary_cross_entropy_with_logits", wave(3, 4, scale=4), unit(3, 4, k=1),
                              {"pos_weight": pos(4, k=2) * 2}),
    "bce_logits_both": ("binary_cross_entropy_with_logits", wave(3, 4, scale=4), unit(3, 4, k=1),
                        {"weight": pos(3, 1), "pos_weight": pos(4, k=2) * 2}),
    # regression
    "mse": ("mse_loss", wave(3, 4), wave(3, 4, k=1), {}),
    "mse_1d": ("mse_loss", wave(7), wave(7, k=1), {}),
    "l1": ("l1_loss", wave(3, 4), wave(3, 4, k=1), {}),
    "l1_ties": ("l1_loss", L([1.0, 2.0, 3.0, -1.0]), L([1.0, 0.0, 3.0, 2.0]), {}),
}
# float64 variants of a few cases
F64 = ["ce", "ce_nd", "ce_ls_weight", "ce_prob", "nll_weight_ignore", "bce_weight", "bce_logits_both", "mse", "l1"]


def upstream(shape, k):
    n = int(np.prod(shape)) if len(shape) else 1
    v = np.cos(np.arange(n, dtype=np.float64) * 0.913 + k) * 0.5 + 0.25
    return torch.tensor(v.reshape(shape), dtype=torch.float32)


def save(name, suffix, t):
    np.save(os.path.join(OUT, f"{name}.{suffix}.npy"), t.detach().numpy())


def run_case(name, loss, x, t, opts, reduction, lines):
    x = x.clone().requires_grad_(True)
    kwargs = dict(opts, reduction=reduction)
    out = getattr(F, loss)(x, t, **kwargs)
    g = upstream(tuple(out.shape), len(name)).to(out.dtype)
    out.backward(g)
    save(name, "input", x)
    save(name, "target", t)
    for key in ("weight", "pos_weight"):
        if key in opts:
            save(name, key, opts[key])
    save(name, "out", out)
    save(name, "gout", g)
    save(name, "grad", x.grad)
    lines.append(f"{name} {loss} {reduction} {opts.get('ignore_index', -100)} {opts.get('label_smoothing', 0.0)}")


def module_reprs():
    w4, p4 = pos(4), pos(4, k=2)
    modules = {
        "MSELoss": nn.MSELoss(),
        "L1Loss_sum": nn.L1Loss(reduction="sum"),
        "BCELoss": nn.BCELoss(),
        "BCELoss_weight": nn.BCELoss(weight=w4),
        "BCEWithLogitsLoss_pos_weight": nn.BCEWithLogitsLoss(pos_weight=p4),
        "BCEWithLogitsLoss_both": nn.BCEWithLogitsLoss(weight=w4, pos_weight=p4),
        "NLLLoss": nn.NLLLoss(),
        "CrossEntropyLoss": nn.CrossEntropyLoss(),
        "CrossEntropyLoss_all": nn.CrossEntropyLoss(weight=w4, ignore_index=1, reduction="sum", label_smoothing=0.1),
    }
    return [f"{k}|{repr(m)}|{','.join(m.state_dict().keys())}" for k, m in modules.items()]


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".npy"):
            os.remove(os.path.join(OUT, f))
    lines = []
    for base, (loss, x, t, opts) in BASE.items():
        variants = [(base, x, t, opts)]
        if base in F64:
            to64 = lambda v: v.double() if torch.is_tensor(v) and v.is_floating_point() else v
            variants.append((base + "_f64", to64(x), to64(t), {k: to64(v) for k, v in opts.items()}))
        for name, xv, tv, ov in variants:
            for reduction in ("none", "mean", "sum"):
                run_case(f"{name}_{reduction}", loss, xv, tv, ov, reduction, lines)
    header = f"# Generated by scripts/reference/loss_reference.py with PyTorch {torch.__version__}; do not edit.\n"
    with open(os.path.join(DATA, "loss_cases.txt"), "w") as f:
        f.write(header + "# name loss reduction ignore_index label_smoothing\n" + "\n".join(lines) + "\n")
    with open(os.path.join(DATA, "loss_repr.txt"), "w") as f:
        f.write(header + "# key|repr|state_dict keys\n" + "\n".join(module_reprs()) + "\n")
    print(f"wrote {len(lines)} loss cases to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
