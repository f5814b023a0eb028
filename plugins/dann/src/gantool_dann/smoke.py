"""A few-second run on two tiny synthetic domains: the suite's fake-GPU test and the GPU smoke
script train from it, so nothing is downloaded or read from a shared folder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
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


def write_domain(root: Path, *, size: int = 8, colour: bool = False, labelled: bool = True,
                 per_class: int = 6, splits: tuple[str, ...] = ("train", "test"),
                 seed: int = 0) -> Path:
    """root/<split>/<class>/*.png (root/<split>/*.png unlabelled) of `bar_image`s."""
    rng = np.random.default_rng(seed)
    for split in splits:
        for label in (0, 1):
            for i in range(per_class):
                folder = root / split / (str(label) if labelled else "")
                folder.mkdir(parents=True, exist_ok=True)
                pixels = np.rint(bar_image(label, size, colour, rng) * 255).astype(np.uint8)
                Image.fromarray(pixels).save(folder / f"{label}_{i}.png")
    return root


def smoke(folder: Path) -> dict[str, object]:
    """Grey labelled bars adapted to tinted ones, 8x8, with small networks."""
    return {"source": str(write_domain(folder / "source")),
            "target": str(write_domain(folder / "target", colour=True, seed=1)),
            "steps": 4, "batch_size": 4, "features": 4, "hidden": 8}
