"""Tiny images and options for the translation tests (a uniquely named module, since every
plugin's test folder has its own conftest); the images are the smoke runs' own."""

from pathlib import Path

import numpy as np
from PIL import Image

from gantool_translation.smoke import save, scene

__all__ = ["TINY_PAIRED", "TINY_UNPAIRED", "facades_pairs", "save", "scene"]

TINY_PAIRED = ["--steps", "2", "--batch-size", "2", "--image-size", "16", "--depth", "3",
               "--ngf", "4", "--ndf", "4", "--quiet", "--device", "cpu"]
TINY_UNPAIRED = ["--steps", "2", "--batch-size", "2", "--image-size", "16", "--blocks", "1",
                 "--ngf", "4", "--ndf", "4", "--pool-size", "3", "--quiet", "--device", "cpu"]



def facades_pairs(root: Path, train: int = 6, test: int = 2, side: int = 16) -> Path:
    """root/{train,test}/N.png side-by-side [photo | label map] pairs, as the facades: a label
    map of two flat colours and a noisy photo of it, each scene its own."""
    rng = np.random.default_rng(2)
    for split, count in (("train", train), ("test", test)):
        (root / split).mkdir(parents=True)
        for n in range(count):
            labels = np.zeros((side, side, 3), np.uint8)
            labels[: side // 2] = rng.integers(0, 255, 3)
            labels[side // 2:] = rng.integers(0, 255, 3)
            photo = np.clip(labels + rng.normal(0, 20, labels.shape), 0, 255).astype(np.uint8)
            Image.fromarray(np.concatenate([photo, labels], 1)).save(root / split / f"{n}.png")
    return root
