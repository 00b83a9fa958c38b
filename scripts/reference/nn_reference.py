#!/usr/bin/python3
"""Reference data for tests/nn (layers): PyTorch 1.13 forward and backward of every nn layer.

Run with Debian's interpreter (PyTorch 1.13):
    /usr/bin/python3 scripts/reference/nn_reference.py
Writes tests/nn/data/layers/cases.json (each case's function and parameters), and per case
<name>.<tensor>.npy: inputs (deterministic sine waves of arange, never random), the output, a
fixed upstream gradient `gout` and the gradients of sum(out * gout) for every float input.
Module printing: reprs.json maps a case name to `repr(module)`; tests/nn/layers_test.cpp builds
the same modules by name. Tests compare at atol 1e-5 + rtol 1e-5.
"""
import json
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "tests", "nn", "data", "layers")


def wave(*shape, k=0.0, scale=1.0, dtype=torch.float32):
    """Distinct, tie-free values in about [-scale, scale]: a sine of arange."""
    n = int(np.prod(shape)) if shape else 1
    v = np.sin(np.arange(n, dtype=np.float64) * 0.737 + 0.3 + k) * scale
    return torch.tensor(v.reshape(shape), dtype=dtype)


def ties(*shape):
    """Few distinct values, so pooling windows see ties (the first maximum wins)."""
    n = int(np.prod(shape))
    return torch.tensor(((np.arange(n) * 7) % 5 - 2).reshape(shape) * 0.5, dtype=torch.float32)


cases = {}


def save(name, tensors):
    for key, t in tensors.items():
        np.save(os.path.join(OUT, f"{name}.{key}.npy"), t.detach().numpy())


def run(name, fn, inputs, params, outputs=("out",)):
    """Forward `fn(*inputs)`, backward with a fixed upstream gradient; saves everything."""
    leaves = {k: v.clone().requires_grad_(v.is_floating_point()) for k, v in inputs.items()}
    result = fn(**leaves)
    if not isinstance(result, tuple):
        result = (result,)
    tensors = dict(leaves)
    out = result[0]
    gout = wave(*out.shape, k=5.0, dtype=out.dtype)
    (out * gout).sum().backward()
    for key, value in zip(outputs, result):
        tensors[key] = value
    tensors["gout"] = gout
    for k, v in leaves.items():
        if v.grad is not None:
            tensors["grad_" + k] = v.grad
    if params.get("op", "").startswith("conv2d") and out.dtype == torch.float32:
        # The exact weight gradient (float64 from the same float32 inputs): summing thousands of terms
        # that cancel, any float32 order lands 1e-4 relative away; the test measures ojo against this.
        exact = {k: v.detach().double().requires_grad_(v.requires_grad) for k, v in leaves.items()}
        (fn(**exact) * gout.double()).sum().backward()
        tensors["grad_w_f64"] = exact["w"].grad
    save(name, tensors)
    cases[name] = dict(params, inputs=list(inputs.keys()), grads=[k for k in leaves if leaves[k].grad is not None])


def conv(name, n, c, h, w, o, k, groups=1, bias=True, dtype=torch.float32, unbatched=False, relu=False, **kw):
    kh, kw_ = (k, k) if isinstance(k, int) else k
    x = wave(n, c, h, w, dtype=dtype) if not unbatched else wave(c, h, w, dtype=dtype)
    inputs = {"x": x, "w": wave(o, c // groups, kh, kw_, k=1.0, scale=0.5, dtype=dtype)}
    if bias:
        inputs["b"] = wave(o, k=2.0, dtype=dtype)
    stride, padding, dilation = kw.get("stride", 1), kw.get("padding", 0), kw.get("dilation", 1)
    fn = lambda x, w, b=None: F.conv2d(x, w, b, stride, padding, dilation, groups)
    if relu:  # ojo's conv2d_relu: the two ops in one pass
        fn = lambda x, w, b=None, conv=fn: F.relu(conv(x, w, b))
    as_list = lambda v: v if isinstance(v, str) else ([v, v] if isinstance(v, int) else list(v))
    run(name, fn, inputs, dict(op="conv2d_relu" if relu else "conv2d", stride=as_list(stride), padding=as_list(padding),
                               dilation=as_list(dilation), groups=groups))


def pool(name, op, x, **kw):
    pair = lambda v: None if v is None else ([v, v] if isinstance(v, int) else list(v))
    if op == "max_pool2d":
        fn = lambda x: F.max_pool2d(x, kw["k"], kw.get("s"), kw.get("p", 0), kw.get("d", 1), kw.get("ceil", False),
                                    return_indices=True)
        run(name, fn, {"x": x}, dict(op=op, k=pair(kw["k"]), s=pair(kw.get("s")), p=pair(kw.get("p", 0)),
                                     d=pair(kw.get("d", 1)), ceil=kw.get("ceil", False)), outputs=("out", "indices"))
    elif op == "avg_pool2d":
        fn = lambda x: F.avg_pool2d(x, kw["k"], kw.get("s"), kw.get("p", 0), kw.get("ceil", False),
                                    kw.get("cip", True), kw.get("div"))
        run(name, fn, {"x": x}, dict(op=op, k=pair(kw["k"]), s=pair(kw.get("s")), p=pair(kw.get("p", 0)),
                                     ceil=kw.get("ceil", False), cip=kw.get("cip", True), div=kw.get("div")))
    else:
        run(name, lambda x: F.adaptive_avg_pool2d(x, kw["size"]), {"x": x}, dict(op=op, size=pair(kw["size"])))


def batch_norm(name, shape, training, affine=True):
    c = shape[1]
    rm, rv = wave(c, k=3.0, scale=0.2), wave(c, k=4.0, scale=0.3) + 1.0
    inputs = {"x": wave(*shape, scale=2.0)}
    if affine:
        inputs["w"] = wave(c, k=1.0) + 1.0
        inputs["b"] = wave(c, k=2.0)
    state = {}

    def fn(x, w=None, b=None):
        m, v = rm.clone(), rv.clone()
        y = F.batch_norm(x, m, v, w, b, training, 0.1, 1e-5)
        state.update(running_mean=m, running_var=v)
        return y

    run(name, fn, inputs, dict(op="batch_norm", training=training))
    save(name, {"running_mean_in": rm, "running_var_in": rv, "running_mean_out": state["running_mean"],
                "running_var_out": state["running_var"]})


def main():
    os.makedirs(OUT, exist_ok=True)
    # conv2d: the guide's layers, then every argument variant
    conv("conv_tinyvgg_block1", 2, 1, 28, 28, 10, 3, padding=1)
    conv("conv_tinyvgg_block2", 2, 10, 14, 14, 10, 3, padding=1)
    conv("conv_cifar", 2, 3, 16, 16, 8, 3, padding=1)
    conv("conv_batch1_rect", 1, 3, 7, 9, 4, (3, 5), stride=(2, 1), padding=(1, 2))
    conv("conv_same_even_kernel", 2, 2, 8, 7, 3, 4, padding="same")
    conv("conv_same_dilated", 1, 2, 9, 9, 2, 3, padding="same", dilation=2)
    conv("conv_valid", 2, 3, 10, 10, 5, 3, padding="valid")
    conv("conv_groups_nobias", 2, 4, 6, 6, 6, 3, groups=2, bias=False, padding=1)
    conv("conv_depthwise", 1, 3, 5, 5, 3, 3, groups=3)
    conv("conv_stride3_dil2", 2, 2, 13, 11, 3, 3, stride=3, dilation=2, padding=(0, 1))
    conv("conv_1x1", 3, 4, 5, 6, 2, 1)
    conv("conv_kernel_covers_input", 1, 1, 3, 3, 2, 5, padding=2)
    conv("conv_alexnet_stem", 1, 3, 35, 35, 8, 11, stride=4, padding=1)
    conv("conv_unbatched", 0, 3, 6, 6, 2, 3, padding=1, unbatched=True)
    conv("conv_f64", 2, 3, 6, 5, 4, 3, padding=1, dtype=torch.float64)
    # the direct path (stride 1): chunk and tile remainders, long rows, rectangular kernels, f64
    conv("conv_direct_batch6_o7", 6, 5, 9, 11, 7, 3, padding=1)
    conv("conv_direct_rect_kernel", 2, 3, 12, 30, 5, (3, 5), padding=(1, 2))
    conv("conv_direct_f64_wide", 5, 6, 10, 33, 9, 3, padding=(0, 1), dtype=torch.float64)
    conv("conv_direct_cifar_block2", 2, 32, 8, 8, 64, 3, padding=1)
    # one image, as in one-image inference
    conv("conv_direct_batch1", 1, 3, 20, 25, 6, 3, padding=1)
    # Winograd's algorithm (3×3 kernels, >= 8 channels in and out): odd sizes, wide rows, no padding, CIFAR's layer
    conv("conv_winograd_odd", 2, 9, 13, 19, 8, 3, padding=1)
    conv("conv_winograd_wide_valid", 1, 12, 6, 37, 9, 3, padding=(0, 1))
    conv("conv_winograd_cifar", 2, 32, 16, 16, 64, 3, padding=1)
    # conv2d_relu (what Sequential runs for Conv2d + ReLU) on the direct path, im2col path, float64
    conv("conv_relu_tinyvgg_block", 3, 10, 14, 14, 10, 3, padding=1, relu=True)
    conv("conv_relu_strided", 2, 3, 11, 9, 4, 3, stride=2, padding=1, relu=True)
    conv("conv_relu_f64_valid", 2, 3, 7, 8, 5, 3, dtype=torch.float64, relu=True)
    conv("conv_relu_batch1_tinyvgg", 1, 10, 28, 28, 10, 3, padding=1, relu=True)
    # pooling
    pool("maxpool_k2", "max_pool2d", wave(2, 3, 8, 8), k=2)
    pool("maxpool_odd_input", "max_pool2d", wave(1, 2, 7, 9), k=2)
    pool("maxpool_k3_s2", "max_pool2d", wave(1, 2, 13, 13), k=3, s=2)
    pool("maxpool_pad_ceil", "max_pool2d", wave(2, 1, 10, 9), k=3, s=2, p=1, ceil=True)
    pool("maxpool_dilated", "max_pool2d", wave(1, 2, 11, 10), k=2, s=1, d=2)
    pool("maxpool_rect", "max_pool2d", wave(1, 1, 9, 12), k=(2, 3), s=(1, 2), p=(1, 0))
    pool("maxpool_ties", "max_pool2d", ties(1, 2, 6, 6), k=3, s=1, p=1)
    pool("maxpool_k2_ties", "max_pool2d", ties(2, 3, 6, 8), k=2)
    pool("maxpool_k2_wide_ties", "max_pool2d", ties(1, 2, 5, 39), k=2)  # full vectors and an overlapping last one
    pool("maxpool_unbatched", "max_pool2d", wave(3, 6, 6), k=2)
    pool("avgpool_k2", "avg_pool2d", wave(2, 3, 8, 8), k=2)
    pool("avgpool_pad", "avg_pool2d", wave(1, 2, 7, 7), k=3, s=2, p=1)
    pool("avgpool_pad_no_count", "avg_pool2d", wave(1, 2, 7, 7), k=3, s=2, p=1, cip=False)
    pool("avgpool_ceil", "avg_pool2d", wave(1, 1, 8, 9), k=3, s=2, p=1, ceil=True, cip=False)
    pool("avgpool_divisor", "avg_pool2d", wave(1, 1, 6, 6), k=2, div=3)
    pool("adaptive_7_to_3", "adaptive_avg_pool2d", wave(2, 2, 7, 7), size=3)
    pool("adaptive_rect", "adaptive_avg_pool2d", wave(1, 3, 5, 9), size=(2, 4))
    pool("adaptive_global", "adaptive_avg_pool2d", wave(2, 4, 6, 5), size=1)
    pool("adaptive_upsample", "adaptive_avg_pool2d", wave(1, 1, 3, 3), size=(5, 4))
    # linear
    lin = lambda x, w, b=None: F.linear(x, w, b)
    run("linear_batch", lin, {"x": wave(4, 5), "w": wave(3, 5, k=1.0, scale=0.5), "b": wave(3, k=2.0)}, dict(op="linear"))
    run("linear_batch1", lin, {"x": wave(1, 490), "w": wave(10, 490, k=1.0, scale=0.1), "b": wave(10, k=2.0)},
        dict(op="linear"))
    run("linear_3d_nobias", lin, {"x": wave(2, 3, 5), "w": wave(4, 5, k=1.0)}, dict(op="linear"))
    run("linear_vector", lin, {"x": wave(5), "w": wave(2, 5, k=1.0), "b": wave(2, k=2.0)}, dict(op="linear"))
    # batch norm
    batch_norm("bn2d_train", (4, 3, 5, 5), True)
    batch_norm("bn2d_eval", (4, 3, 5, 5), False)
    batch_norm("bn1d_train", (8, 4), True)
    batch_norm("bn1d_3d_train", (4, 3, 6), True, affine=False)
    batch_norm("bn1d_eval", (5, 4), False)

    reprs = {
        "linear": nn.Linear(2, 5),
        "linear_nobias": nn.Linear(10, 1, bias=False),
        "conv_tinyvgg": nn.Conv2d(in_channels=1, out_channels=10, kernel_size=3, stride=1, padding=1),
        "conv_plain": nn.Conv2d(3, 32, 3),
        "conv_same": nn.Conv2d(3, 32, kernel_size=3, padding="same"),
        "conv_valid": nn.Conv2d(3, 32, kernel_size=3, padding="valid"),
        "conv_all": nn.Conv2d(4, 8, (3, 5), stride=(2, 1), padding=(1, 2), dilation=2, groups=2, bias=False),
        "maxpool": nn.MaxPool2d(kernel_size=2),
        "maxpool_stride": nn.MaxPool2d(kernel_size=3, stride=2),
        "maxpool_tuple": nn.MaxPool2d((2, 3), stride=(1, 2), padding=(1, 0), dilation=1, ceil_mode=True),
        "avgpool": nn.AvgPool2d(2),
        "avgpool_pad": nn.AvgPool2d(3, stride=2, padding=1),
        "adaptive": nn.AdaptiveAvgPool2d((6, 6)),
        "adaptive_int": nn.AdaptiveAvgPool2d(1),
        "flatten": nn.Flatten(),
        "flatten_dims": nn.Flatten(0, 2),
        "relu": nn.ReLU(),
        "sigmoid": nn.Sigmoid(),
        "tanh": nn.Tanh(),
        "softmax": nn.Softmax(dim=1),
        "log_softmax": nn.LogSoftmax(dim=-1),
        "dropout": nn.Dropout(),
        "dropout_p": nn.Dropout(p=0.25),
        "bn2d": nn.BatchNorm2d(32),
        "bn1d_options": nn.BatchNorm1d(10, eps=1e-3, momentum=0.01, affine=False, track_running_stats=False),
        "identity": nn.Identity(),
        "sequential": nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1)),
        "sequential_nested": nn.Sequential(nn.Sequential(nn.Conv2d(1, 10, 3, padding=1), nn.ReLU()),
                                           nn.Flatten(), nn.Linear(10, 3)),
        "sequential_empty": nn.Sequential(),
    }
    with open(os.path.join(OUT, "reprs.json"), "w") as f:
        json.dump({k: repr(v) for k, v in reprs.items()}, f, indent=1, sort_keys=True)
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump(cases, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    torch.set_num_threads(1)
    main()
