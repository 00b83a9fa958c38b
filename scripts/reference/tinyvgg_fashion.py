#!/usr/bin/python3
"""The guide's TinyVGG FashionMNIST workflow (§83–99) in PyTorch 1.13: the program that
examples/fashion_mnist_tinyvgg.cpp is in C++, for comparing losses and accuracies.

    /usr/bin/python3 scripts/reference/tinyvgg_fashion.py [--epochs N] [--max-steps S] [--threads T]
Reads FashionMNIST from Debian's IDX files (no torchvision needed), scales it as ToTensor does,
and prints the same lines as the C++ example.
"""
import argparse
import os
import sys
import time

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from models_reference import FASHION, FashionMNISTModelV2, read_idx  # noqa: E402


def dataset(train):
    prefix = os.path.join(FASHION, "train" if train else "t10k")
    images = torch.from_numpy(read_idx(prefix + "-images-idx3-ubyte.gz").copy())
    labels = torch.from_numpy(read_idx(prefix + "-labels-idx1-ubyte.gz").astype("int64"))
    return TensorDataset(images.unsqueeze(1).to(torch.float32).div(255), labels)


def eval_model(model, loader, loss_fn, max_batches):
    model.eval()
    loss, correct, seen, batches = 0.0, 0, 0, 0
    with torch.inference_mode():
        for X, y in loader:
            if max_batches >= 0 and batches == max_batches:
                break
            batches += 1
            y_pred = model(X)
            loss += loss_fn(y_pred, y).item()
            correct += (y_pred.argmax(1) == y).sum().item()
            seen += y.numel()
    return loss / batches, 100.0 * correct / seen


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--max-steps", type=int, default=-1)
    ap.add_argument("--threads", type=int, default=0)
    a = ap.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    train_data, test_data = dataset(True), dataset(False)
    train_dataloader = DataLoader(train_data, batch_size=32, shuffle=True)
    test_dataloader = DataLoader(test_data, batch_size=32, shuffle=False)
    torch.manual_seed(42)
    model_2 = FashionMNISTModelV2(1, 10, 10)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(params=model_2.parameters(), lr=0.1)
    torch.manual_seed(42)
    start = time.time()
    for epoch in range(a.epochs):
        print(f"Epoch: {epoch}\n-------")
        train_loss, correct, seen, batch = 0.0, 0, 0, 0
        model_2.train()
        for X, y in train_dataloader:
            if a.max_steps >= 0 and batch >= a.max_steps:
                break
            y_pred = model_2(X)
            loss = loss_fn(y_pred, y)
            train_loss += loss.item()
            correct += (y_pred.argmax(1) == y).sum().item()
            seen += y.numel()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if batch % 400 == 0:
                print(f"Visto {batch * len(X)}/{len(train_dataloader.dataset)} muestras")
            batch += 1
        print(f"Train loss: {train_loss / batch:.5f} | Train acc: {correct / seen:.4f}")
        test_loss, test_acc = eval_model(model_2, test_dataloader, loss_fn, a.max_steps)
        print(f"Test loss: {test_loss:.5f} | Test acc: {test_acc:.2f}%")
    print(f"seconds: {time.time() - start:.1f}")


if __name__ == "__main__":
    main()
