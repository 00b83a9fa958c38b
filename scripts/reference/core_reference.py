#!/usr/bin/python3
"""Reference data for tests/core: NumPy views and reductions, PyTorch printing.

Run with Debian's interpreter (NumPy 1.24, PyTorch 1.13):
    /usr/bin/python3 scripts/reference/core_reference.py
Writes tests/core/data/views/<case>.npy and tests/core/data/print.txt. The C++ tests build the same
cases by name (tests/core/views_test.cpp, tests/core/print_test.cpp); inputs are deterministic
(arange and fixed formulas), never random.
"""
import os
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "tests", "core", "data")


def small_values():  # uint8, every value different along the last dimension
    return (np.arange(37)[None, None, :] + 2 * np.arange(20)[:, None, None] + 90 * np.arange(3)[None, :, None]).astype(np.uint8)


def view_cases():
    a = np.arange(4 * 5 * 6, dtype=np.int64).reshape(4, 5, 6)
    b = a.copy(); b[1:3, 2:4] = 7
    c = np.zeros((4, 5, 3), np.uint8); c[1:3, 2:4] = (0, 255, 0)
    d = np.zeros((4, 5, 6), np.int64); d[:, :, :] = a[0]
    e = a.copy(); e[::-1, 1] = a[:, 2]  # overlapping copy through a reversed view
    # transposing copies large enough for ojo's tiles (16 x 16), with partial tiles, in four dtypes
    t = np.arange(20 * 3 * 37, dtype=np.int64).reshape(20, 3, 37)
    return {
        "contiguous_transpose_f32": np.ascontiguousarray((t[:, 0, :] * 0.5).astype(np.float32).T),
        "contiguous_permute_i64": np.ascontiguousarray(t.transpose(2, 1, 0)),
        "contiguous_permute_u8": np.ascontiguousarray(small_values().transpose(1, 2, 0)),
        "contiguous_transpose_i16_roi": np.ascontiguousarray(t[2:19, 1, 3:30].astype(np.int16).T),
        "roi": a[1:3, 2:5],
        "steps": a[::2, 1::2, ::3],
        "negative_steps": a[::-1, :, ::-2],
        "negative_indices": a[-1, -3:, :-2],
        "select_first": a[2],
        "select_middle": a[:, 3],
        "permute": a.transpose(2, 0, 1),
        "permute_reshape": a.transpose(1, 0, 2).reshape(5, 24),
        "view_of_view": a[1:, ::2][::-1, 1:],
        "flatten_roi": a[:, 1:4].reshape(-1),
        "squeeze": a[:, 0:1, :].squeeze(1),
        "unsqueeze": a[:, 1][:, None, :],
        "expand": np.broadcast_to(a[:, :1, :], (4, 5, 6)),
        "empty_slice": a[3:1],
        "clamped_slice": a[-10:10, 4:100, -1:],
        "fill_region": b,
        "fill_colour": c,
        "copy_broadcast": d,
        "copy_overlap": e,
        "amin_dim1": a[:, ::-1].min(axis=1),
        "amax_last": a.max(axis=-1),
        "sum_dim2": a.sum(axis=2).astype(np.float64),
        "mean_dim0_keepdim": a.mean(axis=0, keepdims=True),
    }


def print_cases():
    f = lambda n: (torch.arange(n, dtype=torch.float32) - 5) / 4  # noqa: E731
    return {
        "tiny_image": torch.tensor([[0, 20, 30], [200, 200, 250], [50, 180, 85]], dtype=torch.uint8),
        "int64_matrix": torch.arange(12).reshape(3, 4),
        "float_matrix": f(12).reshape(3, 4),
        "float_integers": torch.arange(6, dtype=torch.float32).reshape(2, 3) - 2,
        "float_sci": torch.arange(1, 7, dtype=torch.float32) ** 5 * 3,
        "float64_small": (torch.arange(1, 5, dtype=torch.float64) / 3e5),
        "summarised_2d": torch.arange(2000).reshape(40, 50),
        "summarised_3d_uint8": (torch.arange(3000) % 256).to(torch.uint8).reshape(10, 15, 20),
        "long_vector": torch.arange(100),
        "float_vector_wrap": f(40),
        "bool_vector": torch.arange(5) % 2 == 0,
        "int32_3d": torch.arange(24, dtype=torch.int32).reshape(2, 3, 4) - 12,
        "scalar": torch.tensor(3.5),
        "empty_2d": torch.zeros(0, 3),
        "empty_int": torch.zeros(0, dtype=torch.int64),
        "int16_negative": -torch.arange(4, dtype=torch.int16),
    }


def main():
    views = os.path.join(OUT, "views")
    os.makedirs(views, exist_ok=True)
    for name, value in view_cases().items():
        np.save(os.path.join(views, name + ".npy"), np.ascontiguousarray(value))
    with open(os.path.join(OUT, "print.txt"), "w") as out:
        out.write(f"# torch {torch.__version__}: str(tensor) per case, made by scripts/reference/core_reference.py\n")
        for name, value in print_cases().items():
            out.write(f"### {name}\n{str(value)}\n")


if __name__ == "__main__":
    main()
