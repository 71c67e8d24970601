"""Figures every chapter needs: learning curves and 2-D decision regions."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np


def _axes(ax):
    import matplotlib.pyplot as plt

    return ax if ax is not None else plt.subplots(figsize=(6, 4))[1]


def plot_history(
    history: Mapping[str, Sequence[float]], ax=None, xlabel: str = "epoch", ylabel: str = "", title: str = ""
):
    """Plot one line per entry of ``history`` (e.g. ``{"train": [...], "test": [...]}``).

    Every sequence is plotted against 1, 2, ... (epochs or steps). Returns the Axes.
    """
    if not history:
        raise ValueError("history is empty: pass e.g. {'train loss': [0.9, 0.5, ...]}")
    ax = _axes(ax)
    for label, sequence in history.items():
        values = np.asarray(sequence, dtype=float)
        if values.ndim != 1:
            raise ValueError(f"history[{label!r}] must be a 1-D sequence, got shape {values.shape}")
        ax.plot(np.arange(1, len(values) + 1), values, marker="o" if len(values) <= 30 else None, label=label)
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.grid(True, alpha=0.3)
    ax.legend()
    return ax


def plot_decision_regions(
    predict: Callable[[np.ndarray], np.ndarray],
    x: np.ndarray,
    y: np.ndarray | None = None,
    ax=None,
    resolution: int = 200,
    margin: float = 0.5,
    title: str = "",
):
    """Colour the plane by ``predict``'s output and scatter the points ``x`` on top.

    Args:
        predict: maps points ``(M, 2)`` to labels or scores ``(M,)`` (e.g. a perceptron).
        x: points ``(N, 2)``; y: their labels ``(N,)`` (colours the markers), optional.
        resolution: grid points per axis.
    Returns the Axes.
    """
    from .shapes import require_shape

    x = np.asarray(x, dtype=float)
    require_shape(x, (None, 2), "x")
    ax = _axes(ax)
    lo, hi = x.min(axis=0) - margin, x.max(axis=0) + margin
    g0, g1 = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    grid = np.column_stack([g0.ravel(), g1.ravel()])
    z = np.asarray(predict(grid), dtype=float).reshape(g0.shape)
    ax.contourf(g0, g1, z, levels=20 if len(np.unique(z)) > 10 else None, cmap="coolwarm", alpha=0.35)
    ax.scatter(
        x[:, 0], x[:, 1], c=None if y is None else np.asarray(y), cmap="coolwarm", edgecolors="k", s=80, zorder=3
    )
    ax.set(xlabel="$x_1$", ylabel="$x_2$", title=title)
    return ax
