#!/usr/bin/python3
"""Writes the .npy samples that tests/io/npy_test.cpp loads (run with /usr/bin/python3).

Every array is derived from np.arange so the C++ test recomputes the expected values:
  value[i] = (i * 7 + 3) % m, with m chosen per dtype (2 for bool), cast to the dtype, in C order;
  floats use (i * 7 + 3) * 0.25 - 10.
Files: tests/io/data/npy/<dtype>.npy (shape (3, 4)), <dtype>_be.npy (big endian),
<dtype>_f.npy (Fortran order, shape (3, 4)), f32_3d_f.npy (Fortran, (2, 3, 4)),
v2.npy / v3.npy (format versions 2.0 / 3.0), scalar.npy (shape ()), empty.npy (shape (0, 5)).
"""
import os
import sys

import numpy as np
from numpy.lib import format as npformat

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "io", "data", "npy")

DTYPES = {"bool": (np.bool_, 2), "uint8": (np.uint8, 256), "int8": (np.int8, 256), "uint16": (np.uint16, 65536),
          "int16": (np.int16, 65536), "int32": (np.int32, 1 << 31), "int64": (np.int64, 1 << 40),
          "float32": (np.float32, None), "float64": (np.float64, None)}


def values(name, shape):
    dtype, m = DTYPES[name]
    i = np.arange(int(np.prod(shape)), dtype=np.int64)
    if m is None:
        v = ((i * 7 + 3) * 0.25 - 10).astype(dtype)
    else:
        v = ((i * 7 + 3) % m)
        if name in ("int8", "int16"):  # wrap into the signed range, as the C++ cast does
            v = v.astype({"int8": np.uint8, "int16": np.uint16}[name]).view(dtype)
        v = v.astype(dtype)
    return v.reshape(shape)


def save(name, array, version=None):
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        if version is None:
            np.save(f, array)
        else:
            npformat.write_array(f, array, version=version)


def main():
    os.makedirs(OUT, exist_ok=True)
    for name in DTYPES:
        a = values(name, (3, 4))
        save(name + ".npy", a)
        save(name + "_be.npy", a.astype(a.dtype.newbyteorder(">")))
        save(name + "_f.npy", np.asfortranarray(a))
    save("float32_3d_f.npy", np.asfortranarray(values("float32", (2, 3, 4))))
    save("v2.npy", values("int16", (3, 4)), version=(2, 0))
    save("v3.npy", values("int16", (3, 4)), version=(3, 0))
    save("scalar.npy", values("float64", ()))
    save("empty.npy", values("uint8", (0, 5)))
    print("numpy", np.__version__, "wrote", len(os.listdir(OUT)), "files to", os.path.normpath(OUT), file=sys.stderr)


if __name__ == "__main__":
    main()
