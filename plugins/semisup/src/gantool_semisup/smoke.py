"""Few-second runs of both tasks on tiny synthetic class folders: the suite's fake-GPU test and
the GPU smoke script train from these, so nothing is downloaded or read from a shared folder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

CLASSES = ("bar", "column", "diagonal")
SMALL = {"steps": 4, "batch_size": 6, "labelled_batch": 6, "widths": (8,), "g_width": 8,
         "z_dim": 2, "labels": 3}


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
    """root/<class>/NNN.png: `per_class` 8x8 grey patterns of each of CLASSES."""
    rng = np.random.default_rng(seed)
    for label, name in enumerate(CLASSES):
        (root / name).mkdir(parents=True)
        for i in range(per_class):
            Image.fromarray(pattern(label, rng)).save(root / name / f"{i:03d}.png")
    return root


def write_data(data: Path) -> Path:
    """DATA/train/<class>/ with 8 images per class and DATA/test/<class>/ with 4."""
    write_folders(data / "train", 8, seed=0)
    write_folders(data / "test", 4, seed=1)
    return data


def smoke_ssl_gan(folder: Path) -> dict[str, object]:
    """One-layer classifier and generator, one label per class."""
    return {"data": str(write_data(folder)), **SMALL}


def smoke_triple_gan(folder: Path) -> dict[str, object]:
    """As ssl-gan, with a one-layer pair discriminator and the pseudo-discriminative loss on
    from the first step (so every term of the classifier's loss is played)."""
    return {"data": str(write_data(folder)), "d_widths": (8,), "pseudo_start": 0.0, **SMALL}
