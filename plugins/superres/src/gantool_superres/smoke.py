"""A few-second run on tiny synthetic photos: the suite's fake-GPU test and the GPU smoke
script train from it, so nothing is downloaded or read from a shared folder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

SIDE = 192
"""Training photos are this big, so the default 48-pixel patch at x4 (the GPU script's timed
run keeps this data but the default options) fits in them."""


def photo(width: int = 40, height: int = 30, seed: int = 0) -> np.ndarray:
    """A smooth colour image with some texture (uint8, H x W x 3)."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    base = np.stack([x / width, y / height, (x + y) / (width + height)], axis=2) * 200
    return (base + rng.uniform(0, 55, (height, width, 3))).astype(np.uint8)


def write_photos(folder: Path, count: int, side: int, seed: int = 0) -> Path:
    """`count` square PNG photos of `side` pixels."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        Image.fromarray(photo(side, side, seed=seed + i)).save(folder / f"p{i}.png")
    return folder


def smoke(folder: Path) -> dict[str, object]:
    """Both stages for two steps each with a one-block generator on 8-pixel patches, the
    critic's features as the content loss (no VGG19), PSNR on two held-out photos."""
    return {"data": str(write_photos(folder / "train", 3, SIDE)),
            "val_data": str(write_photos(folder / "val", 2, 48, seed=10)),
            "blocks": 1, "channels": 8, "d_channels": 4, "patch": 8, "batch_size": 4,
            "crops_per_image": 4, "pretrain_steps": 2, "adversarial_steps": 2,
            "content": "features"}
