"""scikit-learn's bundled 8x8 digits: loading, the seeded split, and the PNG-folder recipe.

The 1,797 digits ship inside scikit-learn, so nothing is downloaded. The `digits` demo and the
PNG folders other plugins read (semi-supervised learning, domain adaptation) share one
stratified split, so a held-out digit is never trained on by either.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from gantool.errors import GantoolError
from gantool.files import atomic_dir

HELD_OUT = 500
"""Size of the held-out split (the other 1,297 digits train)."""
MAX_VALUE = 16
"""scikit-learn stores each pixel as an integer ink count from 0 to 16."""


def _sklearn() -> Any:
    try:
        import sklearn.datasets
        import sklearn.model_selection
    except ImportError:
        raise GantoolError(
            "the digits data set ships with scikit-learn, which is not installed; "
            "install it (`uv pip install scikit-learn`) and retry"
        ) from None
    return sklearn


def load() -> tuple[np.ndarray, np.ndarray]:
    """All digits as float32 N x 8 x 8 images in [0, 1] and their int64 labels."""
    digits = _sklearn().datasets.load_digits()
    images = (digits.images / MAX_VALUE).astype(np.float32)
    return images, digits.target.astype(np.int64)


def split(labels: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(train, held-out) indices: stratified by class, HELD_OUT held out, fixed by `seed`."""
    indices = np.arange(len(labels))
    train, held_out = _sklearn().model_selection.train_test_split(
        indices, test_size=HELD_OUT, stratify=labels, random_state=seed)
    return np.sort(train), np.sort(held_out)


def _write_pngs(images: np.ndarray, labels: np.ndarray, indices: np.ndarray, root: Path) -> None:
    from PIL import Image

    for index in indices:
        folder = root / str(labels[index])
        folder.mkdir(parents=True, exist_ok=True)
        pixels = np.rint(images[index] * 255).astype(np.uint8)
        Image.fromarray(pixels).save(folder / f"{index:04d}.png")


def build(source: Path | None, out: Path, seed: int) -> Path:
    """Write out/train/<class>/*.png and out/test/<class>/*.png (8x8 greyscale) and split.json.

    File names are scikit-learn's indices. Built in a temporary folder renamed into place, so
    an interrupted build leaves nothing behind; an existing non-empty `out` is refused.
    """
    images, labels = load()
    train, held_out = split(labels, seed)
    with atomic_dir(out) as tmp:
        _write_pngs(images, labels, train, tmp / "train")
        _write_pngs(images, labels, held_out, tmp / "test")
        counts = {name: np.bincount(labels[part], minlength=10).tolist()
                  for name, part in (("train", train), ("test", held_out))}
        (tmp / "split.json").write_text(json.dumps(
            {"source": "sklearn.datasets.load_digits", "seed": seed, "size": [8, 8],
             "per_class": counts}, indent=2))
    return Path(out)
