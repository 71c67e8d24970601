"""Chapter 08's check: a learner's optimizer, step for step against ``torch.optim``.

Only chapter 08 (optimizers) grades an ``update(params, grads)`` optimizer, so its harness lives here
rather than in :mod:`utils.testing`, whose checks every chapter shares; it fails with the same
:class:`~utils.testing.CheckFailed` messages and relies on the same rules (NumPy bound at import,
the learner's arrays converted before any comparison). The name pairs it with :mod:`utils.optim`,
the reference copies of the optimizers chapter 08 asks for.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .i18n.messages import tr
from .testing import _abs, _fail, as_array, check_close

__all__ = ["check_matches_torch_optimizer", "one_weight_trace"]


def _quadratic_problem(seed: int):
    """Two parameters ('W' (3, 2), 'b' (2,)) and the gradient of a random convex quadratic
    L = sum_k 1/2 p_k^T H_k p_k - c_k^T p_k in them (H_k positive definite)."""
    rng = np.random.default_rng(seed)
    shapes = {"W": (3, 2), "b": (2,)}
    H, c = {}, {}
    for key, shape in shapes.items():
        n = int(np.prod(shape))
        a = rng.normal(size=(n, n))
        H[key], c[key] = a @ a.T / n + 0.1 * np.eye(n), rng.normal(size=n)
    params = {key: rng.normal(size=shape) for key, shape in shapes.items()}

    def grad_fn(p):
        return {key: (H[key] @ np.asarray(p[key]).ravel() - c[key]).reshape(np.shape(p[key])) for key in p}

    return params, grad_fn


def check_matches_torch_optimizer(
    optimizer: Any,
    torch_cls: type,
    torch_kwargs: dict | None = None,
    steps: int = 100,
    seed: int = 0,
    name: str | None = None,
    rtol: float = 1e-6,
    atol: float = 1e-9,
) -> float:
    """Run ``optimizer.update(params, grads)`` and ``torch_cls(**torch_kwargs)`` side by side.

    Both start from the same float64 parameters of a random convex quadratic (seeded) and get
    the same gradients at their own current point, for ``steps`` steps. Fails at the first step
    where a parameter differs beyond the tolerance, or where ``update`` replaced an array
    instead of changing it in place. Returns the largest difference seen.

    Tolerance: both sides compute in float64, so a faithful implementation differs by rounding
    only (~1e-15); rtol=1e-6 also admits textbook forms that place eps differently.
    """
    __tracebackhide__ = True
    import torch

    label = name or f"{type(optimizer).__name__} vs torch.optim.{torch_cls.__name__}"
    params, grad_fn = _quadratic_problem(seed)
    ids = {key: id(val) for key, val in params.items()}
    leaves = {key: torch.tensor(val.copy(), requires_grad=True) for key, val in params.items()}
    reference = torch_cls(list(leaves.values()), **(torch_kwargs or {}))
    worst = 0.0
    for step in range(1, steps + 1):
        optimizer.update(params, grad_fn(params))
        for key, g in grad_fn({k: v.detach().numpy() for k, v in leaves.items()}).items():
            leaves[key].grad = torch.from_numpy(g)
        reference.step()
        for key in params:
            if id(params[key]) != ids[key]:
                _fail(
                    label,
                    tr("params[{key!r}] was replaced by a new array at step {step}", key=key, step=step),
                    "update in place (params[key] -= ...), so the layers holding the array see the change",
                )
            expected = leaves[key].detach().numpy()
            what = tr("{label}: params[{key!r}] after step {step}", label=label, key=key, step=step)
            check_close(params[key], expected, what, rtol=rtol, atol=atol)
            worst = max(worst, float(_abs(as_array(params[key]) - expected).max()))
    return worst


def one_weight_trace(optimizer: Any, gradients: list[float], start: float = 0.0) -> list[float]:
    """The weight after each step of ``optimizer`` on one parameter, for a hand-worked example.

    ``params = {"w": np.array([start])}``; for each ``g`` in ``gradients`` it calls
    ``optimizer.update(params, {"w": np.array([g])})`` and records ``params["w"][0]`` (converted with
    :func:`~utils.testing.as_array`, so a non-array fails with a message). Returns the list of floats,
    one per step, for ``check_close`` against the values worked out by hand.
    """
    __tracebackhide__ = True
    params = {"w": np.array([float(start)])}
    trace = []
    for g in gradients:
        optimizer.update(params, {"w": np.array([float(g)])})
        trace.append(float(as_array(params["w"], "params['w'] after update")[0]))
    return trace
