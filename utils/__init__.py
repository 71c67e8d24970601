"""Deep Learning Foundations: helpers shared by every chapter (``import utils``).

One module per job:

* :mod:`utils.paths`     – the data and cache folders (``DLF_DATA``, ``DLF_CACHE``)
* :mod:`utils.fastmode`  – ``DLF_FAST=1``: small subsets and few epochs, same code path
* :mod:`utils.data`      – Iris, MNIST, CIFAR-10 as in-memory arrays/tensors
* :mod:`utils.seed`      – seed every RNG at once
* :mod:`utils.device`    – CUDA / MPS / CPU choice
* :mod:`utils.precision` – bfloat16 mixed precision where the hardware makes it fast (chapter 14)
* :mod:`utils.plotting`  – learning curves and 2-D decision regions
* :mod:`utils.training`  – mini-batches over in-memory tensors and a small training loop
* :mod:`utils.shapes`    – input validation (``ValueError`` naming the expected shape)
* :mod:`utils.testing`   – checks used by the notebooks' test cells, with messages for learners
* :mod:`utils.testing_optim` – chapter 08's check of an optimizer against ``torch.optim`` (not imported by ``import utils``)
* :mod:`utils.functions` – reference sigmoid, relu, softmax, cross-entropy (chapters 03-04)
* :mod:`utils.gradcheck` – numerical gradients and gradient checking (chapters 05-06)
* :mod:`utils.layers`    – reference Relu, Sigmoid, Affine, SoftmaxWithLoss (chapter 06)
* :mod:`utils.nets`      – reference TwoLayerNet built from those layers (chapter 06)
* :mod:`utils.optim`     – reference SGD, Momentum, AdaGrad, RMSprop, Adam (chapter 08)
* :mod:`utils.federated` – how skewed a split among federated clients is (chapter 16)
* :mod:`utils.nbgrader_plugins` – nbgrader plug-ins: robust execution, private feedback (loaded by
  ``nbgrader_config.py``, not by ``import utils``)
* :mod:`utils.grading_tools` – the validate and audit commands (``make validate``, ``make audit``)
* :mod:`utils.cells`     – which cells are answer and test cells, by nbgrader's own predicates

What learners implement in a chapter arrives here only in a later chapter, as a reference
copy (e.g. the chapter-06 layers), so later chapters never depend on a learner's answer.
"""

from . import (
    data,
    device,
    fastmode,
    federated,
    functions,
    gradcheck,
    layers,
    nets,
    optim,
    paths,
    plotting,
    precision,
    seed,
    shapes,
    testing,
    training,
)
from .data import DataNotFoundError, load_cifar10, load_iris, load_mnist
from .device import get_device
from .fastmode import is_fast, pick
from .paths import cache_dir, data_dir
from .plotting import plot_decision_regions, plot_history
from .precision import autocast, mixed_precision
from .seed import seed_everything
from .training import evaluate_accuracy, fit, minibatches

__all__ = [
    "data",
    "device",
    "fastmode",
    "federated",
    "functions",
    "gradcheck",
    "layers",
    "nets",
    "optim",
    "paths",
    "plotting",
    "precision",
    "seed",
    "shapes",
    "testing",
    "training",
    "DataNotFoundError",
    "load_cifar10",
    "load_iris",
    "load_mnist",
    "autocast",
    "get_device",
    "is_fast",
    "mixed_precision",
    "pick",
    "cache_dir",
    "data_dir",
    "plot_decision_regions",
    "plot_history",
    "seed_everything",
    "evaluate_accuracy",
    "fit",
    "minibatches",
]
__version__ = "0.1.0"
