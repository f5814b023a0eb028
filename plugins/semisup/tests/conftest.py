"""Tiny class folders and MNIST idx files made on the fly, and the CLI runner: no data needed."""

import struct
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

CLASSES = ("bar", "column", "diagonal")


def pattern(label: int, rng: np.random.Generator, size: int = 8) -> np.ndarray:
    """Class 0: a horizontal bar, 1: a vertical bar, 2: the diagonal; at a random offset."""
    image = rng.integers(0, 40, (size, size)).astype(np.uint8)
    offset = int(rng.integers(1, size - 1))
    if label == 0:
        image[offset] = 255
    elif label == 1:
        image[:, offset] = 255
    else:
        np.fill_diagonal(image, 255)
    return image


def write_folders(root: Path, per_class: int, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    for label, name in enumerate(CLASSES):
        (root / name).mkdir(parents=True)
        for i in range(per_class):
            Image.fromarray(pattern(label, rng)).save(root / name / f"{i:03d}.png")
    return root


@pytest.fixture
def classes() -> tuple[str, ...]:
    """The class names of `folders` (a fixture: test modules cannot import a conftest)."""
    return CLASSES


@pytest.fixture
def folders(tmp_path: Path) -> Path:
    """DATA/train/<class>/ with 8 images per class and DATA/test/<class>/ with 4."""
    data = tmp_path / "data"
    write_folders(data / "train", 8, seed=0)
    write_folders(data / "test", 4, seed=1)
    return data


def write_idx(raw: Path, prefix: str, images: np.ndarray, labels: np.ndarray) -> None:
    """MNIST's idx format: big-endian magic, sizes, then the raw bytes."""
    raw.mkdir(parents=True, exist_ok=True)
    n, rows, cols = images.shape
    (raw / f"{prefix}-images-idx3-ubyte").write_bytes(
        struct.pack(">IIII", 2051, n, rows, cols) + images.astype(np.uint8).tobytes())
    (raw / f"{prefix}-labels-idx1-ubyte").write_bytes(
        struct.pack(">II", 2049, n) + labels.astype(np.uint8).tobytes())


@pytest.fixture
def mnist_root(tmp_path: Path) -> Path:
    """A 30-image training split and a 10-image test split, 28x28, every digit present."""
    rng = np.random.default_rng(0)
    raw = tmp_path / "mnist" / "MNIST" / "raw"
    for prefix, n in (("train", 30), ("t10k", 10)):
        labels = np.arange(n) % 10
        write_idx(raw, prefix, rng.integers(0, 256, (n, 28, 28)), labels)
    return tmp_path / "mnist"

