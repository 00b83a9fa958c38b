#!/usr/bin/python3
"""Reference data for tests/optim: PyTorch 1.13's optimizers and learning-rate schedulers.

Run with Debian's interpreter (PyTorch 1.13):
    /usr/bin/python3 scripts/reference/optim_reference.py
Writes tests/optim/data/*.npy and data/README.md:
  param.<j>.npy                   the three starting parameters (float32, odd shapes)
  grad.<s>.<j>.npy                the gradient of parameter j at step s (absent = grad is None)
  <case>.params.npy               {steps, 28}: after each step, the parameters flattened and
                                  concatenated (in the case's dtype)
  <case>.state.<j>.<buffer>.npy   optimizer.state_dict()['state'][j][buffer] after the last step
  <case>.group.<name>.npy         optimizer.state_dict()['param_groups'][0][name]
  sched.<case>.npy                float64 learning rates: get_last_lr() after construction, then after each step()
Every value is a formula of arange (no random numbers). Each optimizer runs its single-tensor
(foreach=False) algorithm, the one ojo reproduces. tests/optim/optim_pytorch_test.cpp builds the same
cases by name and compares at atol 1e-6 + rtol 1e-5.
"""
import os
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "tests", "optim", "data")

SHAPES = [(3, 5), (7,), (2, 1, 3)]
STEPS = 5
# Gradient scale per step: shrinking and growing, so amsgrad's running maximum matters.
SCALES = [1.0, 0.2, 2.0, 0.5, 1.5]
# (step, parameter) pairs whose grad is None: p1 skips step 2, p2 gets its first grad at step 1.
NONE_GRADS = {(2, 1), (0, 2)}


def wave(shape, k, scale):
    n = int(np.prod(shape))
    v = np.sin(np.arange(n, dtype=np.float64) * 0.737 + 0.3 + k) * scale
    return torch.tensor(v.reshape(shape), dtype=torch.float32)


def start_params():
    return [wave(s, k=0.5 * j, scale=1.0) for j, s in enumerate(SHAPES)]


def grads():
    """grads()[s][j]: the gradient of parameter j at step s, or None."""
    return [[None if (s, j) in NONE_GRADS else wave(shape, k=1.3 * s + 0.41 * j + 2.0, scale=SCALES[s])
             for j, shape in enumerate(SHAPES)] for s in range(STEPS)]


O = torch.optim
# name -> (class, keyword arguments, dtype)
CASES = {
    "sgd": (O.SGD, dict(lr=0.1), torch.float32),
    "sgd_momentum": (O.SGD, dict(lr=0.1, momentum=0.9), torch.float32),
    "sgd_dampening_wd": (O.SGD, dict(lr=0.05, momentum=0.9, dampening=0.3, weight_decay=0.1), torch.float32),
    "sgd_nesterov": (O.SGD, dict(lr=0.1, momentum=0.8, nesterov=True, weight_decay=0.05), torch.float32),
    "sgd_maximize": (O.SGD, dict(lr=0.1, momentum=0.5, maximize=True), torch.float32),
    "sgd_momentum_f64": (O.SGD, dict(lr=0.1, momentum=0.9, weight_decay=0.01), torch.float64),
    "adam": (O.Adam, dict(lr=0.05), torch.float32),
    "adam_defaults": (O.Adam, dict(), torch.float32),
    "adam_wd_betas": (O.Adam, dict(lr=0.05, betas=(0.8, 0.99), weight_decay=0.1), torch.float32),
    "adam_amsgrad": (O.Adam, dict(lr=0.05, amsgrad=True), torch.float32),
    "adam_maximize_eps": (O.Adam, dict(lr=0.05, maximize=True, eps=1e-3), torch.float32),
    "adam_amsgrad_f64": (O.Adam, dict(lr=0.05, amsgrad=True, weight_decay=0.01), torch.float64),
    "adamw": (O.AdamW, dict(lr=0.05), torch.float32),
    "adamw_amsgrad_wd": (O.AdamW, dict(lr=0.05, weight_decay=0.2, amsgrad=True), torch.float32),
    "adamw_maximize": (O.AdamW, dict(lr=0.05, maximize=True, betas=(0.5, 0.9)), torch.float32),
    "rmsprop": (O.RMSprop, dict(lr=0.01), torch.float32),
    "rmsprop_momentum_wd": (O.RMSprop, dict(lr=0.01, momentum=0.9, weight_decay=0.1), torch.float32),
    "rmsprop_centered": (O.RMSprop, dict(lr=0.01, centered=True, alpha=0.9), torch.float32),
    "rmsprop_centered_momentum_max": (O.RMSprop, dict(lr=0.02, centered=True, momentum=0.5, maximize=True, eps=1e-4),
                                      torch.float32),
    "rmsprop_f64": (O.RMSprop, dict(lr=0.01, momentum=0.3), torch.float64),
}

# Group entries ojo does not have (implementation switches of torch, not hyper-parameters).
SKIP_GROUP = {"params", "foreach", "capturable", "differentiable", "fused"}

# name -> (scheduler factory on an SGD optimizer, starting lr, number of steps)
SCHEDULERS = {
    "step_3_half": (lambda o: O.lr_scheduler.StepLR(o, step_size=3, gamma=0.5), 0.1, 12),
    "step_default_gamma": (lambda o: O.lr_scheduler.StepLR(o, step_size=2), 0.5, 7),
    "cosine_4_min": (lambda o: O.lr_scheduler.CosineAnnealingLR(o, T_max=4, eta_min=0.01), 0.1, 20),
    "cosine_10": (lambda o: O.lr_scheduler.CosineAnnealingLR(o, T_max=10), 0.05, 25),
}


def save(name, array):
    np.save(os.path.join(OUT, name + ".npy"), array)


def as_numpy(v):
    if torch.is_tensor(v):
        return v.detach().numpy()
    if isinstance(v, bool):
        return np.array(v)
    if isinstance(v, int):
        return np.array(v, dtype=np.int64)
    if isinstance(v, float):
        return np.array(v, dtype=np.float64)
    if isinstance(v, tuple):
        return np.array(v, dtype=np.float64)
    raise TypeError(f"cannot store {type(v)}")


def run_case(name, cls, kwargs, dtype):
    params = [p.to(dtype).requires_grad_() for p in start_params()]
    opt = cls(params, foreach=False, **kwargs)
    trajectory = []
    for s, gs in enumerate(grads()):
        for p, g in zip(params, gs):
            p.grad = None if g is None else g.to(dtype)
        opt.step()
        trajectory.append(torch.cat([p.detach().reshape(-1) for p in params]).numpy())
    save(f"{name}.params", np.stack(trajectory))
    sd = opt.state_dict()
    for j, state in sd["state"].items():
        for buf, v in state.items():
            if v is not None:
                save(f"{name}.state.{j}.{buf}", as_numpy(v))
    for key, v in sd["param_groups"][0].items():
        if key not in SKIP_GROUP:
            save(f"{name}.group.{key}", as_numpy(v))


def run_scheduler(name, make, lr, steps):
    opt = O.SGD([torch.zeros(1, requires_grad=True)], lr=lr)
    sched = make(opt)
    lrs = [sched.get_last_lr()[0]]
    for _ in range(steps):
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr()[0])
        assert lrs[-1] == opt.param_groups[0]["lr"]
    save(f"sched.{name}", np.array(lrs, dtype=np.float64))


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".npy"):
            os.remove(os.path.join(OUT, f))
    for j, p in enumerate(start_params()):
        save(f"param.{j}", p.numpy())
    for s, gs in enumerate(grads()):
        for j, g in enumerate(gs):
            if g is not None:
                save(f"grad.{s}.{j}", g.numpy())
    for name, (cls, kwargs, dtype) in CASES.items():
        run_case(name, cls, kwargs, dtype)
    for name, (make, lr, steps) in SCHEDULERS.items():
        run_scheduler(name, make, lr, steps)
    with open(os.path.join(OUT, "README.md"), "w") as f:
        f.write("Generated by scripts/reference/optim_reference.py with PyTorch %s; do not edit.\n"
                "Regenerate: /usr/bin/python3 scripts/reference/optim_reference.py\n" % torch.__version__)
    print(f"wrote {len(CASES)} optimizer cases and {len(SCHEDULERS)} schedules to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
