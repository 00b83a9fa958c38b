#!/usr/bin/python3
"""Moves a model's weights between ojo and PyTorch through safetensors files, both ways.

    /usr/bin/python3 scripts/model_roundtrip.py MODEL OJO_WEIGHTS INPUT_NPY OUT_DIR
MODEL is one of the guide's models (the classes in scripts/reference/models_reference.py, e.g.
FashionMNISTModelV2). The script
  1. builds MODEL in PyTorch, loads OJO_WEIGHTS (a state_dict ojo saved) and writes its eval-mode
     prediction on INPUT_NPY to OUT_DIR/torch_on_ojo_weights.npy;
  2. builds a fresh MODEL from torch.manual_seed(123), saves its state_dict to
     OUT_DIR/torch.safetensors and its prediction to OUT_DIR/torch_preds.npy, for ojo to load.
Used by tests/models/roundtrip_pytorch_test.cpp; needs only torch (python3-torch) and numpy.
"""
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "reference"))
from models_reference import MODELS  # noqa: E402
from safetensors_torch import load_file, save_file  # noqa: E402


def main():
    name, ojo_weights, input_npy, out_dir = sys.argv[1:5]
    make = MODELS[name][0]
    x = torch.from_numpy(np.load(input_npy))
    model = make()
    model.load_state_dict(load_file(ojo_weights))
    model.eval()
    with torch.inference_mode():
        np.save(os.path.join(out_dir, "torch_on_ojo_weights.npy"), model(x).numpy())
    torch.manual_seed(123)
    fresh = make()
    fresh.eval()
    save_file(fresh.state_dict(), os.path.join(out_dir, "torch.safetensors"))
    with torch.inference_mode():
        np.save(os.path.join(out_dir, "torch_preds.npy"), fresh(x).numpy())


if __name__ == "__main__":
    torch.set_num_threads(1)
    main()
