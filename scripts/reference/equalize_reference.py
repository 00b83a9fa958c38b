#!/usr/bin/python3
"""Reference data for ojo::equalizeHistManual: the guide's §39 NumPy algorithm.

Run with Debian's interpreter (NumPy 1.24, OpenCV 4.6 only to read the photos):
    /usr/bin/python3 scripts/reference/equalize_reference.py
Writes tests/imgproc/data/equalize_<name>_input.npy (a 64x64 crop of a scikit-image photo) and
tests/imgproc/data/equalize_<name>_guide.npy (the guide's histogram_equalization of it), plus
equalize_reference.json (versions, crops, shapes). tests/imgproc/histogram_opencv_test.cpp loads
them; if they disagree, regenerate with this script and compare.
"""
import json
import os

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "tests", "imgproc", "data")
SKIMAGE = "/usr/lib/python3/dist-packages/skimage/data"


def histogram_equalization(image):
    """The guide's §39 code, verbatim in behaviour."""
    # 1. Calcular histograma
    hist, _ = np.histogram(image.flatten(), 256, [0, 256])
    # 2. Normalizar histograma
    hist_normalized = hist / hist.sum()
    # 3. Calcular CDF
    cdf = hist_normalized.cumsum()
    # 4. Crear tabla de mapeo
    lookup_table = np.uint8((256 - 1) * cdf)
    # 5. Aplicar transformación
    return lookup_table[image]


def load(name, color):
    img = cv2.imread(os.path.join(SKIMAGE, name), cv2.IMREAD_COLOR if color else cv2.IMREAD_GRAYSCALE)
    if color:
        img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
    return img


# (name, file, colour, top-left corner of the 64x64 crop)
CASES = [
    ("camera", "camera.png", False, (200, 200)),  # gray, full contrast
    ("moon", "moon.png", False, (300, 150)),      # gray, low contrast (narrow histogram)
    ("astronaut", "astronaut.png", True, (100, 180)),  # RGB: one histogram over all channels
]


def main():
    os.makedirs(OUT, exist_ok=True)
    meta = {"numpy": np.__version__, "opencv": cv2.__version__, "cases": {}}
    for name, file, color, (y, x) in CASES:
        crop = np.ascontiguousarray(load(file, color)[y:y + 64, x:x + 64])
        out = histogram_equalization(crop)
        np.save(os.path.join(OUT, f"equalize_{name}_input.npy"), crop)
        np.save(os.path.join(OUT, f"equalize_{name}_guide.npy"), out)
        meta["cases"][name] = {"file": file, "crop_yx": [y, x], "shape": list(crop.shape),
                               "differs_from_cv2_equalizeHist": None if color else
                               bool((cv2.equalizeHist(crop) != out).any())}
    with open(os.path.join(OUT, "equalize_reference.json"), "w") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
