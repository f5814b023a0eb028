"""Few-second runs of both tasks on tiny synthetic folders: the suite's fake-GPU test and the
GPU smoke script train from these, so nothing is downloaded or read from a shared folder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

SMALL = {"steps": 4, "batch_size": 2, "image_size": 16, "ngf": 4, "ndf": 4}


def scene(size: int, rng: np.random.Generator) -> np.ndarray:
    """A colour image: a random gradient and a square, H x W x 3 floats in [0, 1]."""
    ramp = np.linspace(0, 1, size, dtype=np.float32)
    image = rng.random(3) * ramp[:, None, None] + rng.random(3) * ramp[None, :, None] * 0.5
    top, left = rng.integers(0, size // 2, 2)
    image[top:top + size // 3, left:left + size // 3] = rng.random(3)
    return np.clip(image, 0, 1)


def save(pixels: np.ndarray, path: Path) -> Path:
    """H x W (grey) or H x W x 3 floats in [0, 1] -> an 8-bit PNG."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.rint(pixels * 255).astype(np.uint8)).save(path)
    return path


def paired(root: Path, size: int = 16, count: int = 4, seed: int = 0) -> Path:
    """root/train and root/test of grey|colour side-by-side pairs."""
    rng = np.random.default_rng(seed)
    for split in ("train", "test"):
        for i in range(count):
            colour = scene(size, rng)
            grey = np.repeat(colour.mean(2, keepdims=True), 3, 2)
            save(np.concatenate([grey, colour], 1), root / split / f"{i}.png")
    return root


def unpaired(root: Path, size: int = 16, count: int = 4, seed: int = 0) -> Path:
    """root/{trainA,trainB,testA,testB}: dark and bright colour scenes."""
    rng = np.random.default_rng(seed)
    for folder, gain in (("trainA", 0.4), ("trainB", 1.0), ("testA", 0.4), ("testB", 1.0)):
        for i in range(count):
            save(scene(size, rng) * gain, root / folder / f"{i}.png")
    return root


def smoke_pix2pix(folder: Path) -> dict[str, object]:
    """A 3-level U-Net and its critic on four 16x16 grey -> colour pairs."""
    return {"data": str(paired(folder)), "depth": 3, **SMALL}


def smoke_cyclegan(folder: Path) -> dict[str, object]:
    """One-block generators on four dark and four bright 16x16 scenes, a pool that fills."""
    return {"data": str(unpaired(folder)), "blocks": 1, "pool_size": 3, **SMALL}
