"""Input validation for course functions: wrong shapes raise ``ValueError`` naming the expected one."""

from __future__ import annotations

from collections.abc import Sequence


def describe(shape: Sequence[int | None]) -> str:
    """``(None, 784)`` -> ``'(N, 784)'``: ``None`` stands for any size."""
    parts = ["N" if s is None else str(s) for s in shape]
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


def require_shape(x, shape: Sequence[int | None], name: str = "x") -> None:
    """Raise ``ValueError`` unless ``x.shape`` matches ``shape`` (``None`` matches any size)."""
    got = tuple(getattr(x, "shape", ()))
    ok = len(got) == len(shape) and all(s is None or s == g for s, g in zip(shape, got, strict=False))
    if not ok:
        raise ValueError(f"{name} must have shape {describe(shape)}, got {tuple(got)}")


def require_same_length(a, b, names: tuple[str, str] = ("x", "y")) -> None:
    """Raise ``ValueError`` unless ``len(a) == len(b)`` (e.g. inputs and labels)."""
    if len(a) != len(b):
        raise ValueError(f"{names[0]} and {names[1]} must have the same length, got {len(a)} and {len(b)}")
