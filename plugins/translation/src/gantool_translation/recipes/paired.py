"""Paired recipes: side-by-side A|B crops of photographs (the pix2pix convention).

`grey2colour`: A is the crop's BT.601 luma, B the colour crop (colourisation).
`edges2photos`: A is the crop's Canny edges (kornia), black lines on white, B the colour crop.
Train and test pairs come from different photographs (20% of them held out, chosen by --seed).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

from gantool.files import atomic_dir
from gantool.images import to_channels
from gantool_translation.recipes.common import (
    CROP,
    load_photos,
    random_crops,
    save_png,
    split_photos,
    write_info,
)

CROPS = {"train": 40, "test": 8}
"""Crops per photograph: 64 train photos x 40 = 2,560 training pairs, 16 x 8 = 128 test pairs."""


def edges(crops: np.ndarray) -> np.ndarray:
    """Canny edges of N x H x W x 3 crops as black lines on white, N x H x W x 1."""
    from kornia.color import rgb_to_grayscale
    from kornia.filters import canny

    x = rgb_to_grayscale(torch.from_numpy(crops.copy()).permute(0, 3, 1, 2))
    _, found = canny(x, low_threshold=0.1, high_threshold=0.2)
    return 1.0 - found.permute(0, 2, 3, 1).numpy()


def _build(name: str, make_a: Callable[[np.ndarray], np.ndarray], source: Path | None,
           out: Path, seed: int) -> Path:
    photos = load_photos(source)
    rng = np.random.default_rng(seed)
    train, test = split_photos(len(photos), rng)
    with atomic_dir(out) as tmp:
        for split, indices in (("train", train), ("test", test)):
            for index in indices:
                photo_name, photo = photos[index]
                crops = random_crops(photo, CROPS[split], rng)
                inputs = make_a(crops)
                for k, (a, b) in enumerate(zip(inputs, crops, strict=True)):
                    pair = np.concatenate([to_channels(a, 3), b], axis=1)
                    save_png(pair, tmp / split / f"{Path(photo_name).stem}_{k:02d}.png")
        write_info(tmp, {"recipe": name, "source": str(source), "seed": seed,
                         "crop": CROP, "train_photos": [photos[i][0] for i in train],
                         "test_photos": [photos[i][0] for i in test],
                         "train": len(train) * CROPS["train"], "test": len(test) * CROPS["test"]})
    return Path(out)


def build_grey2colour(source: Path | None, out: Path, seed: int) -> Path:
    """out/train/*.png and out/test/*.png: 128x64 grey|colour pairs, and info.json."""
    return _build("grey2colour", lambda crops: to_channels(crops, 1), source, out, seed)


def build_edges2photos(source: Path | None, out: Path, seed: int) -> Path:
    """out/train/*.png and out/test/*.png: 128x64 edges|colour pairs, and info.json."""
    return _build("edges2photos", edges, source, out, seed)
