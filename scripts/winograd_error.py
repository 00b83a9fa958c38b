#!/usr/bin/python3
"""Why ojo's Winograd convolution uses 2×2 output tiles (src/ojo/nn/conv_winograd.hpp).

Runs Winograd's F(2×2, 3×3), F(4×2, 3×3) and F(4×4, 3×3) in float32 (each transform and each
channel's product rounded to float32, channels summed in order, as the kernels do) and compares
them with the float64 convolution, on the kind of data the `pytorch` tests use (normal inputs
and weights) and on TinyVGG-like weights. Prints each one's largest error as a multiple of the
tests' tolerance, 1e-5 + 1e-5·|y|: the larger tiles save multiplications (2.25 and 3 per output
instead of 4) but miss that tolerance several times over.

    /usr/bin/python3 scripts/winograd_error.py
"""
import numpy as np

F32 = np.float32

# Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks" (2016): Bᵀ, G, Aᵀ.
F2 = (np.array([[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]], F32),
      np.array([[1, 0, 0], [.5, .5, .5], [.5, -.5, .5], [0, 0, 1]], F32),
      np.array([[1, 1, 1, 0], [0, 1, -1, -1]], F32))
F4 = (np.array([[4, 0, -5, 0, 1, 0], [0, -4, -4, 1, 1, 0], [0, 4, -4, -1, 1, 0],
                [0, -2, -1, 2, 1, 0], [0, 2, -1, -2, 1, 0], [0, 4, 0, -5, 0, 1]], F32),
      np.array([[1 / 4, 0, 0], [-1 / 6, -1 / 6, -1 / 6], [-1 / 6, 1 / 6, -1 / 6],
                [1 / 24, 1 / 12, 1 / 6], [1 / 24, -1 / 12, 1 / 6], [0, 0, 1]], F32),
      np.array([[1, 1, 1, 1, 1, 0], [0, 1, -1, 2, -2, 0], [0, 1, 1, 4, 4, 0], [0, 1, -1, 8, -8, 1]], F32))


def exact(x, w):
    """The float64 convolution of padded planes x {C, H, W} with w {O, C, 3, 3}."""
    _, h, wd = x.shape
    y = np.zeros((w.shape[0], h - 2, wd - 2))
    for i in range(3):
        for j in range(3):
            y += np.einsum('oc,chw->ohw', w[:, :, i, j].astype(np.float64),
                           x[:, i:i + h - 2, j:j + wd - 2].astype(np.float64))
    return y


def winograd(x, w, rows, cols):
    """Winograd with tiles of `rows` × `cols` outputs (rows: F2 or F4 along y, cols along x)."""
    (btr, gr, atr), (btc, gc, atc) = rows, cols
    mr, mc, ar, ac = atr.shape[0], atc.shape[0], btr.shape[0], btc.shape[0]
    channels, h, wd = x.shape
    u = np.einsum('ij,ocjk,lk->ocil', gr, w, gc).astype(F32)
    y = np.zeros((w.shape[0], h - 2, wd - 2), F32)
    for ty in range(0, h - 2 - mr + 1, mr):
        for tx in range(0, wd - 2 - mc + 1, mc):
            v = np.einsum('ij,cjk,lk->cil', btr, x[:, ty:ty + ar, tx:tx + ac], btc).astype(F32)
            m = np.zeros((w.shape[0], ar, ac), F32)
            for c in range(channels):
                m = (m + u[:, c] * v[c]).astype(F32)
            y[:, ty:ty + mr, tx:tx + mc] = np.einsum('ij,ojk,lk->oil', atr, m, atc).astype(F32)
    return y


def main():
    rng = np.random.default_rng(0)
    cases = [("normal, 10 -> 10 at 28x28", 10, 10, 28, 1.0),
             ("normal, 32 -> 16 at 16x16", 32, 16, 16, 1.0),
             ("TinyVGG-like weights, 10 -> 10", 10, 10, 28, 1 / np.sqrt(90))]
    for name, channels, outs, size, scale in cases:
        x = np.pad(rng.standard_normal((channels, size, size)).astype(F32), ((0, 0), (1, 1), (1, 1)))
        w = (rng.standard_normal((outs, channels, 3, 3)) * scale).astype(F32)
        y = exact(x, w)
        for label, rows, cols in [("F(2x2)", F2, F2), ("F(4x2)", F4, F2), ("F(4x4)", F4, F4)]:
            error = np.abs(winograd(x, w, rows, cols) - y)
            print(f"{name:32s} {label}: largest error {error.max():.1e}, "
                  f"{(error / (1e-5 + 1e-5 * np.abs(y))).max():.2f} x the tests' tolerance")


if __name__ == "__main__":
    main()
