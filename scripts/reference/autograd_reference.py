#!/usr/bin/python3
"""Reference data for tests/autograd: PyTorch 1.13 forward and backward of every tensor-math op.

Run with Debian's interpreter (PyTorch 1.13):
    /usr/bin/python3 scripts/reference/autograd_reference.py
Writes tests/autograd/data/<case>.{in0,in1,...,out,gout,grad0,...}.npy and data/README.md.
For each case: inputs `in<i>` (deterministic formulas of arange, never random), the output
`out`, a fixed upstream gradient `gout` (same shape as out) and `grad<i>` = d(sum(out*gout))/d in<i>
for every float input that requires grad. tests/autograd/ops_pytorch_test.cpp builds the same
cases by name and compares at atol 1e-6 + rtol 1e-5.
"""
import os
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "tests", "autograd", "data")


def wave(*shape, k=0.0, scale=2.0):
    """Distinct, tie-free values in about [-scale, scale]: a sine of arange."""
    n = int(np.prod(shape)) if shape else 1
    v = np.sin(np.arange(n, dtype=np.float64) * 0.737 + 0.3 + k) * scale
    return torch.tensor(v.reshape(shape), dtype=torch.float32)


def pos(*shape, k=0.0):
    """Strictly positive values in about [0.5, 2.5]."""
    return wave(*shape, k=k, scale=1.0) + 1.5


def with_zeros(*shape):
    """Values that include exact zeros (kinks of relu/abs)."""
    t = wave(*shape)
    t.view(-1)[::3] = 0.0
    return t


def ties(*shape):
    """A few values repeated, so max/min/maximum see ties."""
    n = int(np.prod(shape))
    return torch.tensor(((np.arange(n) * 7) % 5 - 2).reshape(shape) * 0.5, dtype=torch.float32)


L = torch.tensor  # shorthand for index tensors


def extreme_rows():
    rows = -1.0 - (torch.arange(7 * 70, dtype=torch.float32) * 0.618) % 1.0
    rows = rows.reshape(7, 70)
    rows[0, 10] = rows[0, 50] = 3.0   # a tie for the largest
    rows[0, 30] = rows[0, 69] = -4.0  # and for the smallest, the second in the tail
    rows[1, 66] = float("nan")        # NaN in the tail
    rows[2, 40] = rows[2, 5] = float("nan")
    rows[3, 3], rows[3, 20] = -0.0, 0.0
    rows[4] = float("-inf")
    rows[5, 64] = float("inf")
    rows[6] = float("nan")
    return rows


EDGES = L([-110.0, -104.0, -103.9, -87.5, -87.3, -20.0, -1e-8, 0.0, 1e-8, 0.5, 10.0, 88.7, 88.72, 88.73, 89.0, 95.0,
           float("inf"), float("-inf"), float("nan")] * 3)

# name -> (inputs, function, which inputs require grad)
CASES = {
    # element-wise with broadcasting and scalars
    "add_bcast": ([wave(2, 3, 4), wave(3, 1, k=1)], lambda a, b: a + b, None),
    "sub_bcast": ([wave(2, 3), wave(3, k=1)], lambda a, b: a - b, None),
    "mul_bcast": ([wave(4, 1), wave(1, 5, k=2)], lambda a, b: a * b, None),
    "div": ([wave(3, 4), pos(3, 4, k=1)], lambda a, b: a / b, None),
    "div_bcast": ([wave(2, 3, 4), pos(4, k=1)], lambda a, b: a / b, None),
    "add_scalar": ([wave(5)], lambda a: a + 2.5, None),
    "rsub_scalar": ([wave(5)], lambda a: 1.0 - a, None),
    "mul_scalar": ([wave(2, 3)], lambda a: a * 3.0, None),
    "rdiv_scalar": ([pos(2, 3)], lambda a: 2.0 / a, None),
    # more elements than ojo's element-wise chunk (32768): tensor-tensor, scalar-left, scalar-right
    # and unary loops cut across threads
    "elementwise_parallel": ([wave(201, 200), wave(201, 200, k=1)],
                             lambda a, b: (a + b) * 0.5 - 1.0 / (1.0 + b.abs()) + (a * a).sqrt(), []),
    # a scalar on either side of a long row (ojo's vector loops and their tails)
    "rsub_scalar_long": ([wave(1003)], lambda a: 1.0 - a, []),
    "div_scalar_long": ([wave(1003, k=1)], lambda a: a / 255.0, []),
    "rdiv_scalar_long": ([pos(1003)], lambda a: 2.0 / a, []),
    "neg": ([wave(7)], lambda a: -a, None),
    "exp": ([wave(3, 4)], torch.exp, None),
    "log": ([pos(3, 4)], torch.log, None),
    # exp and sigmoid near their limits (subnormal results, overflow, infinities, NaN) and on more
    # elements than ojo's element-wise chunk (its float32 row kernels, cut across threads)
    "exp_range": ([EDGES], torch.exp, []),
    "tanh_range": ([L([0.0, -0.0, 1e-30, -1e-8, 0.3, -0.6249, 0.625, 0.6251, -3.0, 9.0, 9.1, 44.0, 50.0,
                       float("inf"), float("-inf"), float("nan")] * 3)], torch.tanh, []),
    "log_range": ([L([0.0, -0.0, -1.0, 1e-45, 1e-40, 1.17549435e-38, 0.5, 0.70710677, 0.7071068, 1.0,
                      1.0000001, 0.9999999, 2.0, 3.4028235e38, float("inf"), float("-inf"), float("nan")] * 3)],
                  torch.log, []),
    "sigmoid_range": ([EDGES], torch.sigmoid, []),
    "exp_sigmoid_long": ([wave(33001, scale=25)], lambda a: torch.cat([a.exp(), a.sigmoid()]), []),
    "sqrt": ([pos(3, 4)], torch.sqrt, None),
    "abs": ([with_zeros(3, 4)], torch.abs, None),
    "sigmoid": ([wave(3, 4, scale=4)], torch.sigmoid, None),
    "tanh": ([wave(3, 4)], torch.tanh, None),
    "relu": ([with_zeros(3, 4)], torch.relu, None),
    "relu_nan": ([L([float("nan"), -0.0, 0.0, -1.0, 2.0])], torch.relu, None),  # NaN stays NaN
    "round": ([L([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.49, -0.51, 3.7])], torch.round, None),
    # ties near 2^22..2^23, values past 2^23 (already whole), infinities, NaN, tiny values
    "round_edges": ([L([4194304.5, 4194305.5, 8388607.5, -8388607.5, 8388609.0, 3e9, -1e20, float("inf"),
                       float("-inf"), float("nan"), 1e-30, -1e-30, 0.5000001, -0.4999999] * 5)], torch.round, []),
    "pow_scalar": ([wave(3, 4)], lambda a: a.pow(3), None),
    "pow_frac": ([pos(3, 4)], lambda a: a.pow(2.5), None),
    "pow_tensor": ([pos(2, 3), wave(3, k=1)], torch.pow, None),
    "maximum": ([ties(3, 4), ties(4) * -1], torch.maximum, None),
    "minimum": ([ties(3, 4), ties(4) * -1], torch.minimum, None),
    "clamp": ([L([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0])], lambda a: a.clamp(-1.0, 1.0), None),
    # NaN stays; bounds that float32 cannot hold exactly; a long row (vector loops and tails)
    "clamp_nan": ([L([float("nan"), -3.0, 0.1, 3.0, float("inf"), float("-inf")] * 7)], lambda a: a.clamp(-1.0, 1.0), []),
    "clamp_inexact_bounds": ([wave(1003)], lambda a: a.clamp(-0.1, 0.3), []),
    # torch's own cases of a scalar exponent (products, square roots, reciprocals) and a general one
    "pow_special": ([pos(5, 7)], lambda a: torch.cat([a.pow(e) for e in (2, 3, 0.5, -0.5, -1, -2, 1.7)]), []),
    "clamp_min": ([wave(3, 4)], lambda a: a.clamp(min=0.25), None),
    # the same rules away from their kinks (for the finite-difference check too)
    "abs_smooth": ([wave(3, 4)], torch.abs, None),
    "relu_smooth": ([wave(3, 4)], torch.relu, None),
    "maximum_smooth": ([wave(3, 4), wave(4, k=1)], torch.maximum, None),
    "minimum_smooth": ([wave(3, 4), wave(4, k=1)], torch.minimum, None),
    "clamp_smooth": ([wave(3, 4)], lambda a: a.clamp(-1.0, 1.0), None),
    "max_all": ([wave(3, 4)], lambda a: a.max(), None),
    "eq": ([ties(3, 4), ties(4) * -1], torch.eq, []),
    "gt": ([ties(3, 4), ties(4) * -1], torch.gt, []),
    "lt": ([wave(3, 4), L(0.5)], torch.lt, []),
    "ge": ([ties(3, 4), ties(4) * -1], torch.ge, []),
    "le": ([ties(3, 4), ties(4) * -1], torch.le, []),
    # matmul
    "mm": ([wave(2, 3), wave(3, 4, k=1)], torch.matmul, None),
    "mm_odd": ([wave(17, 33, scale=1), wave(33, 9, k=1, scale=1)], torch.matmul, None),
    "dot": ([wave(5), wave(5, k=1)], torch.matmul, None),
    "mv": ([wave(3, 4), wave(4, k=1)], torch.matmul, None),
    "vm": ([wave(3), wave(3, 4, k=1)], torch.matmul, None),
    "bmm": ([wave(2, 3, 4), wave(2, 4, 5, k=1)], torch.matmul, None),
    "matmul_bcast": ([wave(2, 1, 3, 4), wave(3, 4, 2, k=1)], torch.matmul, None),
    "matmul_1d_3d": ([wave(4), wave(2, 4, 3, k=1)], torch.matmul, None),
    # reductions
    "sum_all": ([wave(3, 4)], lambda a: a.sum(), None),
    "sum_dim": ([wave(3, 4)], lambda a: a.sum(1), None),
    "sum_dims_keepdim": ([wave(2, 3, 4)], lambda a: a.sum((0, 2), keepdim=True), None),
    "mean_all": ([wave(3, 4)], lambda a: a.mean(), None),
    "mean_dim_keepdim": ([wave(2, 3, 4)], lambda a: a.mean(-1, keepdim=True), None),
    # leading dimensions (ojo sums columns in place), keepdim, integers and bools
    "sum_dim0": ([wave(3, 4)], lambda a: a.sum(0), None),
    "sum_leading_keepdim": ([wave(2, 3, 4)], lambda a: a.sum((1, 0), keepdim=True), None),
    "mean_dim0_wide": ([pos(50, 1100)], lambda a: a.mean(0), []),
    "sum_dim0_int": ([L([[1, -2, 3], [400, 5, -6]])], lambda a: a.sum(0), []),
    "sum_dim0_bool": ([L([[True, False, True], [True, True, False]])], lambda a: a.sum(0), []),
    # rows longer than ojo's 16384-element sum chunks, with tails (forward only: the rule is above)
    "sum_long_rows": ([pos(2, 20011)], lambda a: a.sum(1), []),
    "sum_all_long": ([pos(3, 13339, k=1)], lambda a: a.sum(), []),
    "mean_long": ([pos(40003, k=2)], lambda a: a.mean(), []),
    "max_all_ties": ([ties(3, 4)], lambda a: a.max(), None),
    "min_all": ([wave(3, 4)], lambda a: a.min(), None),
    # whole-tensor extremes over more elements than ojo's 16 lanes, and with one NaN among them
    "max_min_all_long": ([wave(1003, scale=5)], lambda a: torch.stack([a.max(), a.min()]), []),
    "max_min_all_nan": ([L([1.0] * 40 + [float("nan")] + [2.0] * 9)], lambda a: torch.stack([a.max(), a.min()]), []),
    # extremes and their first positions along rows longer than ojo's four vectors (64 lanes), with
    # ties, a NaN in the tail, two NaNs, -0 against +0, all -inf, inf in the tail, all NaN
    "max_min_dim_edges": ([extreme_rows()], lambda a: torch.cat([a.max(1).values, a.max(1).indices.float(),
                                                               a.min(1).values, a.min(1).indices.float()]), []),
    "max_dim": ([wave(3, 4)], lambda a: a.max(1).values, None),
    "max_dim_keepdim": ([wave(2, 3, 4)], lambda a: a.max(0, keepdim=True).values, None),
    "min_dim": ([wave(3, 4)], lambda a: a.min(0).values, None),
    "max_dim_indices": ([wave(3, 4)], lambda a: a.max(1).indices, []),
    "argmax_dim": ([wave(3, 4)], lambda a: a.argmax(0), []),
    "argmin_all": ([wave(3, 4)], lambda a: a.argmin(), []),
    # softmax
    "softmax_dim1": ([wave(3, 5, scale=3)], lambda a: torch.softmax(a, 1), None),
    "softmax_dim0_3d": ([wave(3, 2, 4, scale=3)], lambda a: torch.softmax(a, 0), None),
    "softmax_large": ([wave(2, 4) + 1000], lambda a: torch.softmax(a, -1), None),
    "log_softmax": ([wave(3, 5, scale=3)], lambda a: torch.log_softmax(a, -1), None),
    "log_softmax_large": ([wave(2, 4) * 100], lambda a: torch.log_softmax(a, 1), None),
    # rows wider than the vector lanes (ojo's running maxima, exp kernel and sums), a NaN row
    "softmax_wide": ([wave(3, 1003, scale=8)], lambda a: torch.cat([torch.softmax(a, 1), torch.log_softmax(a, 1)]), []),
    "softmax_nan": ([L([[1.0, float("nan"), 2.0, 0.5], [1.0, 2.0, 3.0, -1.0]])], lambda a: torch.softmax(a, 1), []),
    # joining and indexing
    "cat_dim0": ([wave(2, 3), wave(1, 3, k=1)], lambda a, b: torch.cat([a, b], 0), None),
    "cat_dim1": ([wave(2, 3), wave(2, 1, k=1), wave(2, 2, k=2)], lambda a, b, c: torch.cat([a, b, c], 1), None),
    "stack_dim1": ([wave(2, 3), wave(2, 3, k=1)], lambda a, b: torch.stack([a, b], 1), None),
    "index_select": ([wave(3, 4)], lambda a: a.index_select(1, L([3, 0, 3, 1])), None),
    "index_select_rows": ([wave(5, 3, 4)], lambda a: a.index_select(0, L([4, 0, 4, 2, 1, 4])), None),
    "index_select_view": ([wave(4, 3)], lambda a: a.t().index_select(1, L([3, 1, 3])), None),
    "index_tensor": ([wave(4, 3)], lambda a: a[L([[0, 2], [3, 0]])], None),
    "index_mask": ([wave(3, 4)], lambda a: a[a > 0.5], None),
    "index_row_mask": ([wave(4, 3)], lambda a: a[L([True, False, True, True])], None),
    "masked_select": ([wave(3, 4)], lambda a: a.masked_select(L([True, False, False, True])), None),
    "masked_fill": ([wave(3, 4)], lambda a: a.masked_fill(a < 0, -1.5), None),
    "gather": ([wave(3, 4)], lambda a: a.gather(1, L([[0, 0], [3, 1], [2, 2]])), None),
    "where": ([wave(3, 4), wave(4, k=1)], lambda a, b: torch.where(a > b, a, b), None),
    # past ojo's element-wise chunk (32768, on all threads), with one-value sides (where's backward)
    "where_long": ([wave(3, 12000)], lambda a: torch.stack([torch.where(a > 0, a, torch.tensor(0.5)),
                                                            torch.where(a > 0, torch.tensor(-1.5), a),
                                                            torch.where(a > 0, torch.tensor(2.0), torch.tensor(-2.0))]), []),
    # views
    "slice": ([wave(4, 5)], lambda a: a[1:3, ::2], None),
    "select": ([wave(3, 4)], lambda a: a[:, 2], None),
    "reshape_permuted": ([wave(2, 3, 4)], lambda a: a.permute(2, 0, 1).reshape(4, 6), None),
    "transpose": ([wave(3, 4)], lambda a: a.transpose(0, 1), None),
    "squeeze_unsqueeze": ([wave(3, 1, 4)], lambda a: a.squeeze(1).unsqueeze(0), None),
    "expand_mul": ([wave(3, 1), wave(3, 4, k=1)], lambda a, b: a.expand(3, 4) * b, None),
    "flatten": ([wave(2, 3, 4)], lambda a: a.flatten(1), None),
    "view_chain": ([wave(3, 4), wave(9, k=1)], lambda a, b: a[:, 1:].transpose(0, 1).reshape(-1) * b, None),
    "clone_to": ([wave(3)], lambda a: a.clone().double() * 2, None),
    # composites
    "mlp": ([wave(4, 3), wave(3, 5, k=1, scale=1), wave(5, k=2, scale=0.5), wave(5, 2, k=3, scale=1)],
            lambda x, w1, b1, w2: torch.log_softmax(torch.relu(x @ w1 + b1) @ w2, 1).mean(), [1, 2, 3]),
    "l1_regression": ([torch.arange(0, 1, 0.02).unsqueeze(1), L([0.3367]), L([0.1288])],
                      lambda x, w, b: (w * x + b - (0.7 * x + 0.3)).abs().mean(), [1, 2]),
    "reused_input": ([wave(3)], lambda a: a * a + a.exp() * a, None),
}

# Factories (no inputs): compared forward only.
FACTORIES = {
    "linspace_7": lambda: torch.linspace(-1, 1, 7),
    "linspace_50": lambda: torch.linspace(0, 1, 50),
    "linspace_odd": lambda: torch.linspace(-3.3, 7.1, 13),
    "eye_3x4": lambda: torch.eye(3, 4),
}


def upstream(shape, k):
    n = int(np.prod(shape)) if len(shape) else 1
    v = np.cos(np.arange(n, dtype=np.float64) * 0.913 + k) * 0.5 + 0.25
    return torch.tensor(v.reshape(shape), dtype=torch.float32)


def save(name, suffix, t):
    np.save(os.path.join(OUT, f"{name}.{suffix}.npy"), t.detach().numpy())


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".npy"):
            os.remove(os.path.join(OUT, f))
    for name, (inputs, fn, grad_idx) in CASES.items():
        if grad_idx is None:
            grad_idx = [i for i, t in enumerate(inputs) if t.is_floating_point()]
        xs = [t.clone().requires_grad_(i in grad_idx) for i, t in enumerate(inputs)]
        out = fn(*xs)
        for i, t in enumerate(inputs):
            save(name, f"in{i}", t)
        save(name, "out", out)
        if grad_idx and out.is_floating_point():
            g = upstream(tuple(out.shape), len(name)).to(out.dtype)
            save(name, "gout", g)
            out.backward(g)
            for i in grad_idx:
                save(name, f"grad{i}", xs[i].grad)
    for name, fn in FACTORIES.items():
        save(name, "out", fn())
    with open(os.path.join(OUT, "README.md"), "w") as f:
        f.write("Generated by scripts/reference/autograd_reference.py with PyTorch %s; do not edit.\n"
                "Regenerate: /usr/bin/python3 scripts/reference/autograd_reference.py\n" % torch.__version__)
    print(f"wrote {len(CASES)} op cases and {len(FACTORIES)} factory cases to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
