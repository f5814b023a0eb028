"""What the recipes share: reading the photographs, splitting them, cropping, atomic output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from gantool.errors import GantoolError
from gantool.images import image_files, read_image

CROP = 64
PHOTO_SIDE = 256
"""Photos are scaled so their short side is this before cropping: a 64x64 crop then holds a
recognisable part of the scene (an object, a patch of sky and roofs), not a flat texture."""
TEST_FRACTION = 0.2


def load_photos(source: Path | None) -> list[tuple[str, np.ndarray]]:
    """(file name, H x W x 3 float32 RGB in [0, 1]) of each photo, short side PHOTO_SIDE."""
    if source is None or not Path(source).is_dir():
        raise GantoolError(f"--source {source} is not a folder of photographs; pass one "
                           "(for example ../shared/data/photos/train)")
    files = image_files(source, recursive=True)
    if len(files) < 5:
        raise GantoolError(f"--source {source} holds {len(files)} photographs; the recipe "
                           "needs at least 5 (train and test come from different photos)")
    photos = []
    for path in files:
        photo = Image.fromarray(read_image(path, "RGB"))
        factor = PHOTO_SIDE / min(photo.size)
        size = (max(CROP, round(photo.width * factor)), max(CROP, round(photo.height * factor)))
        photos.append((path.name, np.asarray(photo.resize(size, Image.Resampling.BICUBIC),
                                             dtype=np.float32) / 255.0))
    return photos


def split_photos(count: int, rng: np.random.Generator) -> tuple[list[int], list[int]]:
    """(train, test) photo indices: test crops come from photographs never trained on."""
    order = rng.permutation(count)
    n_test = max(1, round(TEST_FRACTION * count))
    return sorted(order[n_test:].tolist()), sorted(order[:n_test].tolist())


def random_crops(photo: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    """`count` CROP x CROP crops at random places, half of them mirrored: N x CROP x CROP x 3."""
    crops = []
    for _ in range(count):
        top = rng.integers(0, photo.shape[0] - CROP + 1)
        left = rng.integers(0, photo.shape[1] - CROP + 1)
        crop = photo[top:top + CROP, left:left + CROP]
        crops.append(crop[:, ::-1] if rng.random() < 0.5 else crop)
    return np.stack(crops)


def save_png(pixels: np.ndarray, path: Path) -> None:
    """H x W (grey) or H x W x 3 floats in [0, 1] -> an 8-bit PNG."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.rint(np.clip(pixels, 0, 1) * 255).astype(np.uint8)).save(path)


def write_info(root: Path, info: dict[str, Any]) -> None:
    (root / "info.json").write_text(json.dumps(info, indent=2))
