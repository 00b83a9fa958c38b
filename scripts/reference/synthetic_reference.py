#!/usr/bin/python3
"""Reference data for tests/data/synthetic_test.cpp: scikit-learn 1.2's generators and splitter.

    /usr/bin/python3 scripts/reference/synthetic_reference.py
Writes tests/data/reference/<case>.{X,y,X_train,X_test,y_train,y_test}.npy for the calls below
(the guide's §66 make_circles and §75 make_blobs with random_state=42, plus edge cases).
"""
import os

import numpy as np
from sklearn.datasets import make_blobs, make_circles
from sklearn.model_selection import train_test_split

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "tests", "data", "reference")


def save(name, **arrays):
    for key, a in arrays.items():
        np.save(os.path.join(OUT, f"{name}.{key}.npy"), np.ascontiguousarray(a))


def main():
    os.makedirs(OUT, exist_ok=True)
    X, y = make_circles(1000, noise=0.03, random_state=42)
    save("circles_guide", X=X, y=y.astype(np.int64))
    X_train, X_test, y_train, y_test = train_test_split(X.astype(np.float32), y.astype(np.float32), test_size=0.2,
                                                        random_state=42)
    save("circles_guide_split", X_train=X_train, X_test=X_test, y_train=y_train, y_test=y_test)
    X, y = make_circles(7, shuffle=False, random_state=0, factor=0.5)
    save("circles_odd_unshuffled", X=X, y=y.astype(np.int64))
    X, y = make_circles(9, noise=0.1, random_state=3)
    save("circles_odd_noise", X=X, y=y.astype(np.int64))
    X, y = make_blobs(n_samples=1000, n_features=2, centers=4, cluster_std=1.5, random_state=42)
    save("blobs_guide", X=X, y=y.astype(np.int64))
    X_train, X_test, y_train, y_test = train_test_split(X.astype(np.float32), y.astype(np.int64), test_size=0.2,
                                                        random_state=42)
    save("blobs_guide_split", X_train=X_train, X_test=X_test, y_train=y_train, y_test=y_test)
    X, y = make_blobs(n_samples=10, n_features=3, centers=3, cluster_std=0.5, center_box=(-2.0, 5.0), random_state=1)
    save("blobs_uneven", X=X, y=y.astype(np.int64))
    X = np.arange(20, dtype=np.float64).reshape(10, 2)
    y = np.arange(10, dtype=np.int64)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=3, random_state=7)
    save("split_count", X_train=X_train, X_test=X_test, y_train=y_train, y_test=y_test)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, shuffle=False)
    save("split_unshuffled", X_train=X_train, X_test=X_test, y_train=y_train, y_test=y_test)


if __name__ == "__main__":
    main()
