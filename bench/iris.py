"""Iris 4-8-3 (chapters 06 and 07): test accuracy of the from-scratch NumPy network and the
PyTorch model, trained with the chapters' recipe (mini-batch SGD, batch 16, lr 0.1, 300 epochs),
over several seeds. The test split is utils.load_iris()'s stratified 30 flowers.

    python bench/iris.py [--seeds 10]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch
import torch.nn as nn

import utils

from report import write_section

EPOCHS, BATCH, LR = 300, 16, 0.1


def numpy_run(seed: int, data) -> float:
    x_train, x_test, y_train, y_test = data
    net = utils.nets.TwoLayerNet(4, 8, 3, weight_init_std=0.1, seed=seed)
    rng = np.random.default_rng(seed)
    for _ in range(EPOCHS):
        order = rng.permutation(len(x_train))
        for start in range(0, len(x_train), BATCH):
            idx = order[start : start + BATCH]
            for name, g in net.gradient(x_train[idx], y_train[idx]).items():
                net.params[name] -= LR * g
    return net.accuracy(x_test, y_test)


def torch_run(seed: int, data) -> float:
    x_train, x_test, y_train, y_test = (torch.as_tensor(a) for a in data)
    x_train, x_test = x_train.float(), x_test.float()
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    history = utils.fit(
        model,
        torch.optim.SGD(model.parameters(), lr=LR),
        nn.CrossEntropyLoss(),
        x_train,
        y_train,
        epochs=EPOCHS,
        batch_size=BATCH,
        x_val=x_test,
        y_val=y_test,
        seed=seed,
    )
    return history["val_acc"][-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=10)
    args = parser.parse_args()
    data = utils.load_iris()
    rows = []
    for label, run in [
        ("NumPy from scratch (ch06, `utils.nets.TwoLayerNet`)", numpy_run),
        ("PyTorch (ch07, `nn.Linear` 4-8-3, `utils.fit`)", torch_run),
    ]:
        t0 = time.perf_counter()
        accs = np.array([run(seed, data) for seed in range(args.seeds)])
        seconds = (time.perf_counter() - t0) / args.seeds
        rows.append(f"| {label} | {accs.mean():.3f} | {accs.min():.3f} | {accs.max():.3f} | {seconds:.2f} |")
    body = (
        f"Recipe: mini-batch SGD, batch {BATCH}, lr {LR}, {EPOCHS} epochs; seeds 0-{args.seeds - 1} "
        f"(initial weights and shuffling). Test set: 30 flowers (one flower = 3.3 points).\n\n"
        "| model | mean test accuracy | min | max | seconds per run |\n|---|---|---|---|---|\n" + "\n".join(rows)
    )
    write_section("iris", "Iris 4-8-3 (chapters 06-07)", body)


if __name__ == "__main__":
    main()
