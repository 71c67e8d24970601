"""utils: paths, fast mode, seeding, device choice, shapes, plotting, training loop."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
import torch

import utils
from utils import shapes


def test_data_dir_default_and_override(monkeypatch, tmp_path):
    monkeypatch.delenv("DLF_DATA", raising=False)
    assert utils.data_dir() == utils.paths.REPO_ROOT / "data"
    monkeypatch.setenv("DLF_DATA", str(tmp_path))
    assert utils.data_dir() == tmp_path.resolve()


def test_cache_dir_is_created(monkeypatch, tmp_path):
    monkeypatch.setenv("DLF_CACHE", str(tmp_path / "c"))
    assert utils.cache_dir() == (tmp_path / "c").resolve()
    assert utils.cache_dir().is_dir()


def test_cache_dir_is_per_user_and_outside_the_package(monkeypatch, tmp_path):
    """On a shared server the installed package is read-only and shared: the cache must be the user's."""
    monkeypatch.delenv("DLF_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert utils.cache_dir() == tmp_path / "xdg" / "dl-foundations"
    assert (tmp_path / "xdg" / "dl-foundations").is_dir()
    for ignored in ("", "relative/path"):  # the XDG spec: an empty or relative value is ignored
        monkeypatch.setenv("XDG_CACHE_HOME", ignored)
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        assert utils.cache_dir() == tmp_path / "home" / ".cache" / "dl-foundations"
    assert utils.paths.REPO_ROOT not in utils.cache_dir().parents
    monkeypatch.setenv("DLF_CACHE", "  ")  # blank = unset
    assert utils.cache_dir() == tmp_path / "home" / ".cache" / "dl-foundations"


@pytest.mark.parametrize("value,fast", [("1", True), ("true", True), ("YES", True), ("0", False), ("", False)])
def test_fast_mode(monkeypatch, value, fast):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.setenv("DLF_FAST", value)
    assert utils.is_fast() is fast
    assert utils.pick(full=10, fast=1) == (1 if fast else 10)


@pytest.mark.parametrize("value,fast", [("", True), ("0", False), ("1", True)])
def test_fast_mode_while_nbgrader_grades(monkeypatch, value, fast):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    monkeypatch.setenv("DLF_FAST", value)
    assert utils.is_fast() is fast


def test_seed_everything_reproduces_all_generators():
    rng = utils.seed_everything(3)
    a = (np.random.rand(), torch.rand(1).item(), rng.random())
    rng = utils.seed_everything(3)
    assert a == (np.random.rand(), torch.rand(1).item(), rng.random())
    with pytest.raises(ValueError):
        utils.seed_everything(-1)


def test_get_device(monkeypatch):
    monkeypatch.delenv("DLF_DEVICE", raising=False)
    assert utils.get_device().type in {"cpu", "cuda", "mps"}
    assert utils.get_device("cpu") == torch.device("cpu")
    with pytest.raises(ValueError, match="device must be one of"):
        utils.get_device("tpu")
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="cuda"):
            utils.get_device("cuda")


def test_require_shape_names_expected_and_actual():
    shapes.require_shape(np.zeros((5, 784)), (None, 784), "images")
    with pytest.raises(ValueError, match=r"images must have shape \(N, 784\), got \(5, 28, 28\)"):
        shapes.require_shape(np.zeros((5, 28, 28)), (None, 784), "images")
    assert shapes.describe((3,)) == "(3,)"


def test_minibatches_cover_every_example_once():
    x, y = np.arange(10), np.arange(10) * 10
    batches = list(utils.minibatches(x, y, batch_size=4, seed=0))
    assert [len(b[0]) for b in batches] == [4, 4, 2]
    seen = np.concatenate([b[0] for b in batches])
    assert sorted(seen.tolist()) == list(range(10)) and seen.tolist() != list(range(10))
    assert all(np.array_equal(bx * 10, by) for bx, by in batches)
    xt = torch.arange(5)
    assert [b[0].tolist() for b in utils.minibatches(xt, xt, 2, shuffle=False)] == [[0, 1], [2, 3], [4]]
    with pytest.raises(ValueError, match="same length"):
        next(utils.minibatches(x, y[:3], 2))
    with pytest.raises(ValueError, match="batch_size"):
        next(utils.minibatches(x, y, 0))


def test_fit_learns_a_separable_problem_and_evaluate_restores_mode():
    torch.manual_seed(0)
    x = torch.randn(256, 2)
    y = (x[:, 0] + x[:, 1] > 0).long()
    model = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.ReLU(), torch.nn.Linear(16, 2))
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    hist = utils.fit(model, opt, torch.nn.functional.cross_entropy, x, y, epochs=15, batch_size=32, x_val=x, y_val=y)
    assert set(hist) == {"train_loss", "train_acc", "val_acc"} and len(hist["val_acc"]) == 15
    assert hist["train_loss"][-1] < hist["train_loss"][0] and hist["val_acc"][-1] > 0.95
    model.train()
    utils.evaluate_accuracy(model, x, y)
    assert model.training


def test_plots():
    ax = utils.plot_history({"train": [3, 2, 1], "test": [3, 2.5, 2]}, ylabel="loss")
    assert len(ax.get_lines()) == 2
    with pytest.raises(ValueError):
        utils.plot_history({})
    ax = utils.plot_decision_regions(lambda p: (p[:, 0] > 0).astype(int), np.random.randn(10, 2), np.arange(10) % 2)
    assert ax.get_xlabel() == "$x_1$"
    with pytest.raises(ValueError, match=r"\(N, 2\)"):
        utils.plot_decision_regions(lambda p: p[:, 0], np.zeros((4, 3)))


def test_label_skew_is_zero_for_proportional_clients_and_large_for_single_class_clients():
    from utils.federated import label_skew

    labels = np.repeat(np.arange(4), 26)  # 4 classes x 26
    proportional = [np.arange(104)[k::2] for k in range(2)]  # 13 of every class for each client
    assert label_skew(proportional, labels) == pytest.approx(0.0)
    one_class_each = [np.flatnonzero(labels == c) for c in range(4)]
    assert label_skew(one_class_each, labels) == pytest.approx(0.75)  # 1 - 1/4 for each client
    assert label_skew([np.array([], dtype=int), np.arange(104)], labels) == pytest.approx(0.0)
    with pytest.raises(ValueError, match=r"\(N,\)"):
        label_skew(proportional, labels.reshape(4, 26))


def test_autocast_is_bfloat16_where_fast_and_float32_elsewhere(monkeypatch):
    conv = torch.nn.Conv2d(3, 4, 3)
    x = torch.randn(2, 3, 8, 8)
    with utils.autocast("cpu", enabled=False):
        assert conv(x).dtype == torch.float32
    monkeypatch.setattr(utils.precision, "has_fast_bfloat16", lambda: False)
    with utils.autocast("cpu"):
        assert conv(x).dtype == torch.float32  # emulated bfloat16 would be slower: stay float32
    monkeypatch.setattr(utils.precision, "has_fast_bfloat16", lambda: True)
    with utils.autocast("cpu"):
        out = conv(x)
    assert out.dtype == torch.bfloat16 and conv.weight.dtype == torch.float32  # weights stay float32
    with utils.autocast("mps"):
        assert conv(x).dtype == torch.float32  # no autocast where it is not known to help


def test_mixed_precision_runs_only_the_forward_pass_in_bfloat16(monkeypatch):
    monkeypatch.setattr(utils.precision, "has_fast_bfloat16", lambda: True)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.Flatten(), torch.nn.Linear(4 * 6 * 6, 2))
    seen = []
    model[0].register_forward_hook(lambda m, i, o: seen.append(o.dtype))
    wrapped = utils.mixed_precision(model)
    assert wrapped.module is model and list(wrapped.parameters()) == list(model.parameters())
    x = torch.randn(5, 3, 8, 8)
    out = wrapped(x)
    assert seen == [torch.bfloat16] and out.dtype == torch.float32  # bfloat16 inside, float32 out
    torch.nn.functional.cross_entropy(out, torch.tensor([0, 1, 0, 1, 1])).backward()
    assert model[0].weight.grad.dtype == torch.float32
    ref = model(x)  # plain float32: close, not equal
    assert (out - ref).abs().max().item() < 0.05 * ref.abs().max().item()
    wrapped.eval()
    assert not model.training
    monkeypatch.setattr(utils.precision, "has_fast_bfloat16", lambda: False)
    seen.clear()
    assert torch.equal(wrapped(x), model(x)) and seen == [torch.float32, torch.float32]
