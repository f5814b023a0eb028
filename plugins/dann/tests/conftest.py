"""Tiny two-domain image folders made on the fly, and the CLI runner, so tests need no data."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image


def bar_image(label: int, size: int, colour: bool, rng: np.random.Generator) -> np.ndarray:
    """Class 0: a horizontal bar, class 1: a vertical one; the 'colour' domain puts it on a
    random tinted background, the other is white on black."""
    ink = np.zeros((size, size), np.float32)
    middle = slice(size // 2 - 1, size // 2 + 1)
    if label == 0:
        ink[middle, :] = 1.0
    else:
        ink[:, middle] = 1.0
    ink += 0.1 * rng.random((size, size))
    if not colour:
        return np.clip(ink, 0, 1)
    background = rng.random(3)
    return np.clip(np.abs(ink[..., None] - background), 0, 1)


def _write_domain(root: Path, *, size: int = 8, colour: bool = False, labelled: bool = True,
                 per_class: int = 6, splits: tuple[str, ...] = ("train", "test"),
                 seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    for split in splits:
        for label in (0, 1):
            for i in range(per_class):
                folder = root / split / (str(label) if labelled else "")
                folder.mkdir(parents=True, exist_ok=True)
                pixels = np.rint(bar_image(label, size, colour, rng) * 255).astype(np.uint8)
                Image.fromarray(pixels).save(folder / f"{label}_{i}.png")
    return root


@pytest.fixture
def write_domain():
    """`write_domain(root, size=8, colour=False, labelled=True, per_class=6, splits=...)`."""
    return _write_domain


@pytest.fixture
def domains(tmp_path: Path) -> tuple[Path, Path]:
    """(source: 8x8 grey labelled, target: 8x8 colour labelled), each with train/ and test/."""
    return (_write_domain(tmp_path / "source"),
            _write_domain(tmp_path / "target", colour=True, seed=1))



@pytest.fixture(scope="session")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """model.safetensors of a 3-step dann run on tiny domains (copy it before changing it)."""
    from gantool.config import build
    from gantool.train import train
    from gantool_dann.config import DannConfig
    from gantool_dann.training import build_game

    root = tmp_path_factory.mktemp("dann")
    config = build(DannConfig, {
        "source": _write_domain(root / "source"),
        "target": _write_domain(root / "target", colour=True, seed=1),
        "steps": 3, "batch_size": 4, "features": 4, "hidden": 8, "checkpoint_every": 0,
        "device": "cpu"})
    train(lambda: build_game(config), config, root / "run", task="dann", quiet=True)
    return root / "run" / "model.safetensors"
