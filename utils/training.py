"""A small PyTorch training loop over in-memory tensors.

Chapter 07 has learners write the loop themselves; later chapters reuse this copy so they
can focus on their own topic. Batches are slices of tensors already in memory: no
per-item decoding, no DataLoader worker processes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from .shapes import require_same_length


def minibatches(x, y, batch_size: int, shuffle: bool = True, seed: int | None = None) -> Iterator:
    """Yield ``(x_batch, y_batch)`` slices of ``x`` ``(N, ...)`` and ``y`` ``(N, ...)``.

    Works for NumPy arrays and torch tensors alike. With ``shuffle=True`` the order is a
    permutation drawn from ``seed`` (a fresh one each call when ``seed`` is None).
    The last batch may be smaller than ``batch_size``.
    """
    require_same_length(x, y)
    if not isinstance(batch_size, (int, np.integer)) or batch_size <= 0:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    n = len(x)
    order: Any = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
    if not isinstance(x, np.ndarray):  # torch tensors index fastest with a tensor of indices
        import torch

        order = torch.from_numpy(order)
    for start in range(0, n, batch_size):
        idx = order[start : start + batch_size]
        yield x[idx], y[idx]


def evaluate_accuracy(model, x, y, batch_size: int = 1024, device=None) -> float:
    """Fraction of ``x`` ``(N, ...)`` that ``model`` classifies as ``y`` ``(N,)`` (argmax of logits).

    Puts the model in eval mode and restores its previous mode afterwards.
    """
    import torch

    device = device or next(model.parameters()).device
    was_training = model.training
    model.eval()
    correct = 0
    with torch.no_grad():
        for xb, yb in minibatches(x, y, batch_size, shuffle=False):
            correct += (model(xb.to(device)).argmax(dim=1) == yb.to(device)).sum().item()
    model.train(was_training)
    return correct / len(y)


def fit(
    model,
    optimizer,
    loss_fn,
    x_train,
    y_train,
    epochs: int,
    batch_size: int = 128,
    x_val=None,
    y_val=None,
    seed: int = 0,
    device=None,
) -> dict[str, list[float]]:
    """Train ``model`` for ``epochs`` passes over ``(x_train, y_train)``.

    Each step: forward, loss, ``zero_grad``, ``backward``, ``step`` (the loop of chapter 07).
    Returns a history ``{"train_loss": [...], "train_acc": [...], "val_acc": [...]}`` with one
    value per epoch (``val_acc`` only when validation data is given); ``train_loss`` is the
    mean of the batch losses weighted by batch size (``sum(loss * len(batch)) / N``), which is
    the mean loss per example when ``loss_fn`` averages over its batch (a smaller last batch
    counts less); ``train_acc`` is measured during the epoch (dropout/BN in train mode).
    """
    import torch

    device = device or next(model.parameters()).device
    history: dict[str, list[float]] = {"train_loss": [], "train_acc": []}
    if x_val is not None:
        history["val_acc"] = []
    for epoch in range(epochs):
        model.train()
        total_loss, correct = 0.0, 0
        for xb, yb in minibatches(x_train, y_train, batch_size, shuffle=True, seed=seed + epoch):
            xb, yb = xb.to(device), yb.to(device)
            logits = model(xb)
            loss = loss_fn(logits, yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total_loss += loss.item() * len(yb)
            with torch.no_grad():
                correct += (logits.argmax(dim=1) == yb).sum().item()
        history["train_loss"].append(total_loss / len(y_train))
        history["train_acc"].append(correct / len(y_train))
        if x_val is not None:
            history["val_acc"].append(evaluate_accuracy(model, x_val, y_val, device=device))
    return history
