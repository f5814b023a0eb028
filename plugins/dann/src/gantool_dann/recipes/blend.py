"""`digits-m`: the MNIST-M construction (Ganin et al. 2016) on scikit-learn's digits.

Each digit, upsampled to 28x28, is blended with a random 28x28 patch of a colour photograph:
output = |digit - patch| per channel. Digit shapes and labels are unchanged; colour, texture
and contrast change, and the ink can be darker or lighter than the background. The split is the
core `digits` recipe's for the same --seed, so `gantool data build digits --seed S` gives the
matching source whose test digits are the same held-out ones.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from PIL import Image

from gantool.data import digits
from gantool.errors import GantoolError
from gantool.files import IMAGE_SUFFIXES, atomic_dir
from gantool.image_tensors import resize
from gantool.images import image_files, open_image
from gantool_dann.recipes.common import write_info, write_split

SIZE = 28
BLENDS = 4
"""Blends of each training digit, each with its own patch: unlabelled target data is the cheap
part of the problem, and 1,297 images are few for a domain classifier to learn the domain from
rather than the images (MNIST-M has 59,001). Test digits are blended once."""
PHOTO_SIDE = 256
"""Photos are scaled so their short side is this before cropping: a 28x28 patch then holds
texture, as a patch of a 481x321 BSDS500 photo does in MNIST-M, not a flat colour."""


def load_photos(source: Path | None, side: int = PHOTO_SIDE, min_side: int = SIZE
                ) -> tuple[list[np.ndarray], str]:
    """RGB photos as float arrays in [0, 1], scaled so their short side is `side`, and a
    description of where they came from; a photo smaller than `min_side` is refused."""
    if source is None:
        from sklearn.datasets import load_sample_images

        photos = [Image.fromarray(p) for p in load_sample_images().images]
        origin = "sklearn.datasets.load_sample_images"
    else:
        files = image_files(source, recursive=True)
        if not files:
            raise GantoolError(f"--source {source} holds no photographs "
                               f"({', '.join(IMAGE_SUFFIXES)})")
        photos = [open_image(p).convert("RGB") for p in files]
        origin = str(source)
    scaled = []
    for photo, name in zip(photos, files if source is not None else photos, strict=True):
        if min(photo.size) < min_side:
            raise GantoolError(f"photograph {name} is {photo.width}x{photo.height}; patches "
                               f"need photos of at least {min_side} px a side (drop it or use "
                               "larger ones)")
        factor = side / min(photo.size)
        size = (max(SIZE, round(photo.width * factor)), max(SIZE, round(photo.height * factor)))
        scaled.append(np.asarray(photo.resize(size, Image.Resampling.BICUBIC),
                                 dtype=np.float32) / 255.0)
    return scaled, origin


def blend(digit: np.ndarray, photo: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """|digit - patch| per channel, the patch cut at a random place of the photo."""
    top = rng.integers(0, photo.shape[0] - SIZE + 1)
    left = rng.integers(0, photo.shape[1] - SIZE + 1)
    patch = photo[top : top + SIZE, left : left + SIZE]
    return np.abs(digit[..., None] - patch)


def build(source: Path | None, out: Path, seed: int) -> Path:
    """out/train/<class>/*.png and out/test/<class>/*.png, 28x28 RGB, and info.json."""
    photos, origin = load_photos(source)
    images, labels = digits.load()
    upsampled = resize(torch.from_numpy(images)[:, None], SIZE)[:, 0].numpy()
    rng = np.random.default_rng(seed)
    train, test = digits.split(labels, seed)
    with atomic_dir(out) as tmp:
        for name, part, copies in (("train", train, BLENDS), ("test", test, 1)):
            for copy in range(copies):
                blended = np.stack([blend(upsampled[i], photos[rng.integers(len(photos))], rng)
                                    for i in part])
                write_split(tmp / name, blended, labels[part], [f"{i:04d}-{copy}" for i in part])
        write_info(tmp, {"recipe": "digits-m", "digits": "sklearn.datasets.load_digits",
                         "photos": origin, "photo_count": len(photos), "size": [SIZE, SIZE],
                         "seed": seed, "train": BLENDS * len(train), "test": len(test)})
    return Path(out)
