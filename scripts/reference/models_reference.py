#!/usr/bin/python3
"""Reference data for tests/models: the guide's models as PyTorch 1.13 builds them.

Run with Debian's interpreter (PyTorch 1.13):
    /usr/bin/python3 scripts/reference/models_reference.py
Writes tests/models/data/:
  manifest.json            per model: repr(model), state_dict keys in order with shapes and dtypes,
                           parameter count, and whether forward data exists
  <model>.<key>.npy        the initial weights (torch.manual_seed(42)) of the small models
  <model>.input.npy / .output.npy   a deterministic input and the model's output (eval mode)
  tinyvgg_train.losses.npy the loss of each of 200 SGD steps (lr 0.1, batch 32, CrossEntropyLoss)
                           of FashionMNISTModelV2(1, 10, 10) from the saved initial weights on the
                           first 6400 FashionMNIST training images in file order, scaled to [0, 1]
  tinyvgg_train_f64.losses.npy  the same run after model.to(torch.float64), on float64 images.
                           In float32 the trajectory is sensitive to rounding: torch's own float32 and
                           float64 runs drift apart by more than 1e-3 from about step 40 (max-pool and
                           ReLU decisions flip), while float64 runs perturbed by 1e-15 stay within 1e-9.
                           So step-by-step agreement over 200 steps is checked in float64.
"""
import gzip
import json
import os

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "tests", "models", "data")
FASHION = "/usr/share/datasets/fashion-mnist"


class LinearRegressionModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.weights = nn.Parameter(torch.randn(1, dtype=torch.float), requires_grad=True)
        self.bias = nn.Parameter(torch.randn(1, dtype=torch.float), requires_grad=True)

    def forward(self, x):
        return self.weights * x + self.bias


class LinearRegressionModelV2(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear_layer = nn.Linear(in_features=1, out_features=1)

    def forward(self, x):
        return self.linear_layer(x)


class CircleModelV0(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer_1 = nn.Linear(in_features=2, out_features=5)
        self.layer_2 = nn.Linear(in_features=5, out_features=1)

    def forward(self, x):
        return self.layer_2(self.layer_1(x))


class CircleModelV2(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer_1 = nn.Linear(in_features=2, out_features=10)
        self.layer_2 = nn.Linear(in_features=10, out_features=10)
        self.layer_3 = nn.Linear(in_features=10, out_features=1)
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.layer_3(self.relu(self.layer_2(self.relu(self.layer_1(x)))))


class BlobModel(nn.Module):
    def __init__(self, input_features, output_features, hidden_units=8):
        super().__init__()
        self.linear_layer_stack = nn.Sequential(
            nn.Linear(in_features=input_features, out_features=hidden_units),
            nn.Linear(in_features=hidden_units, out_features=hidden_units),
            nn.Linear(in_features=hidden_units, out_features=output_features))

    def forward(self, x):
        return self.linear_layer_stack(x)


class FashionMNISTModelV0(nn.Module):
    def __init__(self, input_shape, hidden_units, output_shape):
        super().__init__()
        self.layer_stack = nn.Sequential(nn.Flatten(), nn.Linear(input_shape, hidden_units),
                                         nn.Linear(hidden_units, output_shape))

    def forward(self, x):
        return self.layer_stack(x)


class FashionMNISTModelV1(nn.Module):
    def __init__(self, input_shape, hidden_units, output_shape):
        super().__init__()
        self.layer_stack = nn.Sequential(nn.Flatten(), nn.Linear(input_shape, hidden_units), nn.ReLU(),
                                         nn.Linear(hidden_units, hidden_units), nn.ReLU(),
                                         nn.Linear(hidden_units, output_shape), nn.ReLU())

    def forward(self, x):
        return self.layer_stack(x)


def conv_block(c_in, hidden, pool):
    return nn.Sequential(nn.Conv2d(c_in, hidden, kernel_size=3, stride=1, padding=1), nn.ReLU(),
                         nn.Conv2d(hidden, hidden, kernel_size=3, stride=1, padding=1), nn.ReLU(), pool)


class FashionMNISTModelV2(nn.Module):
    def __init__(self, input_shape, hidden_units, output_shape):
        super().__init__()
        self.conv_block_1 = conv_block(input_shape, hidden_units, nn.MaxPool2d(kernel_size=2, stride=2))
        self.conv_block_2 = conv_block(hidden_units, hidden_units, nn.MaxPool2d(kernel_size=2, stride=2))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(hidden_units * 7 * 7, output_shape))

    def forward(self, x):
        return self.classifier(self.conv_block_2(self.conv_block_1(x)))


class TinyVGG(FashionMNISTModelV2):
    pass


class CIFAR10Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv_layers = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                         nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.fc_layers = nn.Sequential(nn.Flatten(), nn.Linear(64 * 8 * 8, 512), nn.ReLU(), nn.Linear(512, 10))

    def forward(self, x):
        return self.fc_layers(self.conv_layers(x))


class AlexNet(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 96, kernel_size=11, stride=4, padding=1), nn.ReLU(), nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(96, 256, kernel_size=5, padding=2), nn.ReLU(), nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(256, 384, kernel_size=3, padding=1), nn.ReLU(),
            nn.Conv2d(384, 384, kernel_size=3, padding=1), nn.ReLU(),
            nn.Conv2d(384, 256, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(kernel_size=3, stride=2))
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(256 * 6 * 6, 4096), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(4096, 4096), nn.ReLU(), nn.Dropout(0.5), nn.Linear(4096, num_classes))

    def forward(self, x):
        return self.classifier(self.features(x))


def and_mlp():
    return nn.Sequential(nn.Linear(2, 2), nn.Sigmoid(), nn.Linear(2, 1), nn.Sigmoid())


def wave(*shape, k=0.0):
    n = int(np.prod(shape))
    return torch.tensor(np.sin(np.arange(n, dtype=np.float64) * 0.737 + 0.3 + k).reshape(shape), dtype=torch.float32)


# name -> (constructor, input shape for the forward check or None for the big models)
MODELS = {
    "LinearRegressionModel": (LinearRegressionModel, (7, 1)),
    "LinearRegressionModelV2": (LinearRegressionModelV2, (7, 1)),
    "and_mlp": (and_mlp, (4, 2)),
    "CircleModelV0": (CircleModelV0, (5, 2)),
    "CircleModelV2": (CircleModelV2, (5, 2)),
    "BlobModel": (lambda: BlobModel(2, 4, 8), (6, 2)),
    "FashionMNISTModelV0": (lambda: FashionMNISTModelV0(784, 10, 10), (3, 1, 28, 28)),
    "FashionMNISTModelV1": (lambda: FashionMNISTModelV1(784, 10, 10), (3, 1, 28, 28)),
    "FashionMNISTModelV2": (lambda: FashionMNISTModelV2(1, 10, 10), (3, 1, 28, 28)),
    "TinyVGG": (lambda: TinyVGG(1, 10, 10), (1, 1, 28, 28)),
    "CIFAR10Model": (CIFAR10Model, None),
    "AlexNet": (AlexNet, None),
}


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def tinyvgg_training(model, dtype=torch.float32, suffix=""):
    images = read_idx(os.path.join(FASHION, "train-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(FASHION, "train-labels-idx1-ubyte.gz"))
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    model.train()
    losses = []
    for step in range(200):
        x = torch.tensor(images[step * 32:(step + 1) * 32], dtype=dtype).unsqueeze(1) / 255.0
        y = torch.tensor(labels[step * 32:(step + 1) * 32], dtype=torch.int64)
        loss = loss_fn(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    np.save(os.path.join(OUT, f"tinyvgg_train{suffix}.losses.npy"), np.array(losses, dtype=np.float64))


def main():
    os.makedirs(OUT, exist_ok=True)
    manifest = {}
    for name, (make, input_shape) in MODELS.items():
        torch.manual_seed(42)
        model = make()
        model.eval()
        entry = {
            "repr": repr(model),
            "keys": [[k, list(v.shape), str(v.dtype).replace("torch.", "")] for k, v in model.state_dict().items()],
            "num_parameters": sum(p.numel() for p in model.parameters()),
            "forward": input_shape is not None,
        }
        manifest[name] = entry
        if input_shape is None:
            continue
        for k, v in model.state_dict().items():
            np.save(os.path.join(OUT, f"{name}.{k}.npy"), v.numpy())
        x = wave(*input_shape)
        with torch.no_grad():
            y = model(x)
        np.save(os.path.join(OUT, f"{name}.input.npy"), x.numpy())
        np.save(os.path.join(OUT, f"{name}.output.npy"), y.numpy())
        if name == "FashionMNISTModelV2":
            initial = {k: v.clone() for k, v in model.state_dict().items()}
            tinyvgg_training(model)
            model.load_state_dict(initial)
            tinyvgg_training(model.to(torch.float64), torch.float64, "_f64")
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)


if __name__ == "__main__":
    torch.set_num_threads(1)
    main()
