"""MNIST MLP (chapter 13): test accuracy and training time of source 003's 784-256-256-10 network,
Adam (lr 1e-3, cosine decay to 0 over the epochs, as in the notebook), batch 128, on all 60,000
training images, three ways:

* a bare PyTorch loop (in-memory tensors, nothing from the course), the yardstick;
* the course's loop: the solution notebook's ``train_one_epoch`` over ``utils.minibatches``;
* NumPy: the notebook's ``NumpyMLP`` (chapter 06 layers from ``utils``, float32) with ``utils.optim.Adam``.

Training time excludes evaluation. Prints and records per-epoch seconds, images/s and test accuracy.

    python bench/mnist_mlp.py [--epochs 8] [--seed 0]
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import time

import numpy as np
import torch
import torch.nn as nn

import utils

from notebook_answers import load_answers
from report import write_section

BATCH, LR = 128, 1e-3
SETUP = "import numpy as np\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nimport utils\n"


def cosine_lr(epoch: int, epochs: int) -> float:
    """The learning rate of ``epoch``: LR/2 (1 + cos(pi epoch / epochs)), CosineAnnealingLR's closed form."""
    return LR * 0.5 * (1 + math.cos(math.pi * epoch / epochs))


def seed_003_recipe(ch13, seed: int):
    """The notebook's Model(784, 256), Adam(lr 1e-3) and cross-entropy, from the given seed."""
    torch.manual_seed(seed)
    model = ch13["Model"](784, 256)
    return model, torch.optim.Adam(model.parameters(), lr=LR), nn.CrossEntropyLoss()


def set_lr(optimizer, lr: float) -> None:
    for group in optimizer.param_groups:
        group["lr"] = lr


def bare_torch(ch13, data, epochs: int, seed: int):
    x, y, xt, yt = data
    model, optimizer, loss_fn = seed_003_recipe(ch13, seed)
    seconds, accs = [], []
    for epoch in range(epochs):
        t0 = time.perf_counter()
        set_lr(optimizer, cosine_lr(epoch, epochs))
        model.train()
        order = torch.randperm(len(x))
        for start in range(0, len(x), BATCH):
            idx = order[start : start + BATCH]
            loss = loss_fn(model(x[idx]), y[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        seconds.append(time.perf_counter() - t0)
        model.eval()
        with torch.no_grad():
            accs.append((model(xt).argmax(1) == yt).float().mean().item())
    return seconds, accs


def course_torch(ch13, data, epochs: int, seed: int):
    x, y, xt, yt = data
    model, optimizer, loss_fn = seed_003_recipe(ch13, seed)
    seconds, accs = [], []
    for epoch in range(epochs):
        t0 = time.perf_counter()
        set_lr(optimizer, cosine_lr(epoch, epochs))
        ch13["train_one_epoch"](model, utils.minibatches(x, y, BATCH, seed=seed * 1000 + epoch), loss_fn, optimizer)
        seconds.append(time.perf_counter() - t0)
        accs.append(ch13["evaluate"](model, utils.minibatches(xt, yt, 1024, shuffle=False)))
    return seconds, accs


def numpy_mlp(ch13, data, epochs: int, seed: int):
    x, y, xt, yt = (a.numpy() for a in data)
    net = ch13["NumpyMLP"](seed=seed)
    adam = utils.optim.Adam(lr=LR)
    seconds, accs = [], []
    for epoch in range(epochs):
        t0 = time.perf_counter()
        adam.lr = cosine_lr(epoch, epochs)
        for xb, tb in utils.minibatches(x, y, BATCH, seed=seed * 1000 + epoch):
            net.train_step(xb, tb, adam)
        seconds.append(time.perf_counter() - t0)
        accs.append(float(np.mean(net.predict(xt).argmax(axis=1) == yt)))
    return seconds, accs


RUNS = {
    "bare PyTorch loop (yardstick)": bare_torch,
    "course loop: `train_one_epoch` + `utils.minibatches`": course_torch,
    "NumPy: `NumpyMLP` (utils.layers, float32) + `utils.optim.Adam`": numpy_mlp,
}


def measure(label: str, epochs: int, seed: int):
    """One implementation's (seconds per epoch, accuracy per epoch), in the calling process."""
    ch13 = load_answers("ch13_mnist_mlp", SETUP, extra_cells=("class NumpyMLP",))
    x, y = utils.load_mnist(train=True, flatten=True)
    xt, yt = utils.load_mnist(train=False, flatten=True)
    return RUNS[label](ch13, (x, y, xt, yt), epochs, seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rows, per_epoch = [], {}
    for label in RUNS:
        # A fresh process per implementation: after PyTorch work, its idle OpenMP threads keep spinning for
        # a while and slow down whatever runs next on a 2-core machine (NumPy's BLAS threads included).
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            epoch_seconds, accs = pool.apply(measure, (label, args.epochs, args.seed))
        seconds, median = sum(epoch_seconds), float(np.median(epoch_seconds))
        per_epoch[label] = median
        first_98 = next((i + 1 for i, a in enumerate(accs) if a >= 0.98), None)
        print(
            f"{label}: {seconds:.1f} s, seconds per epoch {np.round(epoch_seconds, 2).tolist()}, "
            f"accuracy per epoch {np.round(accs, 4).tolist()}",
            flush=True,
        )
        rows.append(
            f"| {label} | {accs[-1]:.4f} | {max(accs):.4f} | {first_98 or '—'} | {seconds:.1f} | "
            f"{median:.2f} | {60_000 / median:,.0f} |"
        )
    bare, course, numpy_ = per_epoch.values()
    body = (
        f"Recipe: source 003's `Model(784, 256)`, Adam lr {LR:g} with cosine decay to 0, batch {BATCH}, {args.epochs} epochs on all 60,000 training "
        f"images, test on the 10,000 test images, seed {args.seed}. Each implementation runs in a fresh process. Training time excludes evaluation. "
        f"Ratios use the median epoch, which is steadier than the total on a shared 2-core VM.\n\n"
        "| implementation | final test accuracy | best test accuracy (any epoch) | first epoch ≥ 98 % | training seconds | median seconds per epoch | images/s (median epoch) |\n"
        "|---|---|---|---|---|---|---|\n"
        + "\n".join(rows)
        + f"\n\nMedian epoch: course loop / bare loop {course / bare:.2f}×; NumPy / PyTorch (course loop) {numpy_ / course:.2f}×."
    )
    write_section("mnist_mlp", "MNIST MLP, PyTorch and NumPy (chapter 13)", body)


if __name__ == "__main__":
    main()
