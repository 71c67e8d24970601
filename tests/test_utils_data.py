"""utils.data: Iris, MNIST and CIFAR-10 loaders, on synthetic files and (when present) the real data."""

from __future__ import annotations

import struct

import numpy as np
import pytest
import torch

import utils
from utils import data


@pytest.fixture(autouse=True)
def _fresh_caches(monkeypatch, tmp_path):
    monkeypatch.setenv("DLF_CACHE", str(tmp_path / "cache"))
    data._mnist_uint8.cache_clear()
    data._cifar10_uint8.cache_clear()
    yield
    data._mnist_uint8.cache_clear()
    data._cifar10_uint8.cache_clear()


def test_iris_is_stratified_and_standardized_with_train_statistics():
    x_train, x_test, y_train, y_test = utils.load_iris(test_size=0.2, seed=0)
    assert x_train.shape == (120, 4) and x_test.shape == (30, 4)
    assert x_train.dtype == np.float64 and y_train.dtype == np.int64
    assert np.bincount(y_train).tolist() == [40, 40, 40] and np.bincount(y_test).tolist() == [10, 10, 10]
    np.testing.assert_allclose(x_train.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(x_train.std(axis=0), 1, atol=1e-12)
    assert np.abs(x_test.mean(axis=0)).max() > 1e-3, "test set must not be standardized with its own statistics"


def test_iris_split_depends_on_seed_only():
    a, b = utils.load_iris(seed=1), utils.load_iris(seed=1)
    assert all(np.array_equal(u, v) for u, v in zip(a, b, strict=False))
    assert not np.array_equal(a[0], utils.load_iris(seed=2)[0])


@pytest.mark.parametrize("bad", [0, 1, -0.1, 1.5])
def test_iris_rejects_bad_test_size(bad):
    with pytest.raises(ValueError, match="test_size"):
        utils.load_iris(test_size=bad)


def _write_idx(path, array: np.ndarray):
    """Write an array in the MNIST idx format (big-endian header, uint8 payload)."""
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    path.write_bytes(header + array.astype(np.uint8).tobytes())


@pytest.fixture
def fake_mnist(tmp_path, monkeypatch):
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(5, 28, 28))
    labels = np.array([3, 1, 4, 1, 5])
    for prefix in ("train", "t10k"):
        _write_idx(raw / f"{prefix}-images-idx3-ubyte", images)
        _write_idx(raw / f"{prefix}-labels-idx1-ubyte", labels)
    monkeypatch.setenv("DLF_DATA", str(tmp_path))
    return images, labels


def test_mnist_shapes_scaling_and_limit(fake_mnist):
    images, labels = fake_mnist
    x, y = utils.load_mnist(train=True, normalize=False)
    assert x.shape == (5, 1, 28, 28) and x.dtype == torch.float32 and y.dtype == torch.int64
    np.testing.assert_allclose(x[:, 0].numpy(), images / 255.0, rtol=1e-6)
    assert y.tolist() == labels.tolist()
    xf, _ = utils.load_mnist(train=False, flatten=True, normalize=True, limit=3)
    assert xf.shape == (3, 784)
    np.testing.assert_allclose(xf.numpy(), ((images[:3] / 255.0 - 0.1307) / 0.3081).reshape(3, 784), rtol=1e-5)


def test_mnist_returns_copies(fake_mnist):
    x, y = utils.load_mnist(normalize=False)
    x.zero_()
    y.zero_()
    x2, y2 = utils.load_mnist(normalize=False)
    assert x2.abs().sum() > 0 and y2.tolist() == fake_mnist[1].tolist()


@pytest.mark.parametrize("bad", [0, -3, 2.5, "10"])
def test_loaders_reject_a_bad_limit(bad, fake_mnist):
    with pytest.raises(ValueError, match="limit"):
        utils.load_mnist(limit=bad)
    with pytest.raises(ValueError, match="limit"):
        utils.load_cifar10(limit=bad, download=False)


def test_missing_mnist_says_where_it_looked_and_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("DLF_DATA", str(tmp_path / "nowhere"))
    with pytest.raises(utils.DataNotFoundError) as info:
        utils.load_mnist(download=False)
    msg = str(info.value)
    assert str(tmp_path / "nowhere" / "MNIST" / "raw") in msg and "DLF_DATA" in msg


@pytest.fixture
def fake_cifar(tmp_path, monkeypatch):
    from PIL import Image

    rng = np.random.default_rng(0)
    for split, per_class in (("train", 2), ("test", 1)):
        for name in data.CIFAR10_CLASSES:
            folder = tmp_path / "cifar10-jpg" / split / name
            folder.mkdir(parents=True)
            for i in range(per_class):
                img = rng.integers(0, 256, size=(32, 32, 3), dtype=np.uint8)
                Image.fromarray(img).save(folder / f"{i:04d}.jpg", quality=95)
    monkeypatch.setenv("DLF_DATA", str(tmp_path))
    return tmp_path


def test_cifar10_jpeg_fallback_decodes_once_and_caches(fake_cifar, tmp_path):
    x, y = utils.load_cifar10(train=True)
    assert x.shape == (20, 3, 32, 32) and x.dtype == torch.float32 and y.dtype == torch.int64
    assert 0.0 <= float(x.min()) and float(x.max()) <= 1.0
    assert torch.bincount(y).tolist() == [2] * 10
    assert (tmp_path / "cache" / "cifar10-jpg-train.pt").is_file()
    data._cifar10_uint8.cache_clear()
    x2, y2 = utils.load_cifar10(train=True)  # now from the cache file
    assert torch.equal(x, x2) and torch.equal(y, y2)


def test_cifar10_reads_a_shared_read_only_cache_after_the_users_own(fake_cifar, tmp_path, monkeypatch):
    """On a shared server the JPEG copy is decoded once into DLF_SHARED_CACHE (deploy/install.sh):
    learners read it instead of each decoding 60,000 JPEGs into their own cache."""
    utils.load_cifar10(train=True)
    shared = tmp_path / "shared"
    shared.mkdir()
    (tmp_path / "cache" / "cifar10-jpg-train.pt").rename(shared / "cifar10-jpg-train.pt")
    saved = torch.load(shared / "cifar10-jpg-train.pt", weights_only=True)
    saved["images"][0] = 7  # a marker: only the shared file has it
    torch.save(saved, shared / "cifar10-jpg-train.pt")
    shared.chmod(0o555)
    monkeypatch.setenv("DLF_SHARED_CACHE", str(shared))
    data._cifar10_uint8.cache_clear()
    x, _ = data._cifar10_uint8(str(fake_cifar), True, False)
    assert int(x[0].max()) == 7 and not (tmp_path / "cache" / "cifar10-jpg-train.pt").exists()
    monkeypatch.delenv("DLF_SHARED_CACHE")
    data._cifar10_uint8.cache_clear()
    x, _ = data._cifar10_uint8(str(fake_cifar), True, False)  # without it: decoded again, own cache
    assert (tmp_path / "cache" / "cifar10-jpg-train.pt").is_file()
    shared.chmod(0o755)


def test_cifar10_limit_keeps_several_classes_and_normalize(fake_cifar):
    x, y = utils.load_cifar10(train=True, limit=8, normalize=True)
    assert x.shape == (8, 3, 32, 32) and len(torch.unique(y)) > 1
    assert float(x.min()) < 0, "normalized images are centred"


def test_cifar10_rejects_a_folder_with_other_classes(fake_cifar):
    (fake_cifar / "cifar10-jpg" / "test" / "zebra").mkdir()
    (fake_cifar / "cifar10-jpg" / "test" / "zebra" / "0.jpg").write_bytes(
        (fake_cifar / "cifar10-jpg" / "test" / "cat" / "0000.jpg").read_bytes()
    )
    with pytest.raises(ValueError, match="class folders"):
        utils.load_cifar10(train=False)


def test_missing_cifar10_says_where_it_looked(tmp_path, monkeypatch):
    monkeypatch.setenv("DLF_DATA", str(tmp_path))
    with pytest.raises(utils.DataNotFoundError, match="cifar10-jpg"):
        utils.load_cifar10(download=False)


@pytest.mark.data
def test_real_mnist(require_data):
    x, y = require_data(utils.load_mnist, train=False)
    assert x.shape == (10_000, 1, 28, 28) and torch.bincount(y).sum() == 10_000
    assert abs(float(x.mean())) < 0.1 and abs(float(x.std()) - 1) < 0.1  # standardized


@pytest.mark.data
def test_real_cifar10_test_split(require_data):
    x, y = require_data(utils.load_cifar10, train=False)
    assert x.shape == (10_000, 3, 32, 32) and torch.bincount(y).tolist() == [1000] * 10
