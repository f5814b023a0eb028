"""Tiny class folders and MNIST idx files made on the fly, and the CLI runner: no data needed."""

from pathlib import Path

import numpy as np
import pytest

from gantool.testing import write_idx
from gantool_semisup.smoke import CLASSES, write_data


@pytest.fixture
def classes() -> tuple[str, ...]:
    """The class names of `folders` (a fixture: test modules cannot import a conftest)."""
    return CLASSES


@pytest.fixture
def folders(tmp_path: Path) -> Path:
    """DATA/train/<class>/ with 8 images per class and DATA/test/<class>/ with 4."""
    return write_data(tmp_path / "data")


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A two-step model.safetensors of each task (trained once per test module) on a copy of
    `folders`: {"data": DATA, "ssl-gan": weights, "triple-gan": weights}."""
    from gantool_semisup import kplus1, triple
    from gantool_semisup.config import SslGanConfig, TripleGanConfig

    root = tmp_path_factory.mktemp("trained")
    data = write_data(root / "data")
    return {"data": data,
            "ssl-gan": train_tiny("ssl-gan", kplus1.build_game, SslGanConfig, data, root),
            "triple-gan": train_tiny("triple-gan", triple.build_game, TripleGanConfig, data,
                                     root, d_widths="8")}


def train_tiny(task: str, build_game, cls: type, data: Path, root: Path, **extra) -> Path:
    from gantool.config import build
    from gantool.train import train

    config = build(cls, {"data": data, "steps": 2, "batch_size": 6, "labelled_batch": 6,
                         "widths": "8", "g_width": 8, "z_dim": 2, "labels": 3, "device": "cpu",
                         "checkpoint_every": 0, **extra})
    train(lambda: build_game(config), config, root / task, task=task, quiet=True)
    return root / task / "model.safetensors"


@pytest.fixture
def mnist_root(tmp_path: Path) -> Path:
    """A 30-image training split and a 10-image test split, 28x28, every digit present."""
    rng = np.random.default_rng(0)
    raw = tmp_path / "mnist" / "MNIST" / "raw"
    for prefix, n in (("train", 30), ("t10k", 10)):
        labels = np.arange(n) % 10
        write_idx(raw, prefix, rng.integers(0, 256, (n, 28, 28)), labels)
    return tmp_path / "mnist"

