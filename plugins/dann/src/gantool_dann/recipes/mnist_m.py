"""`mnist-m`: MNIST-M as Ganin et al. (2016) built it, from MNIST and any folder of photos.

Each of the 60,000 training and 10,000 test digits is blended with its own random 28x28 patch
of a colour photograph, output = |digit - patch| per channel (the paper's definition). The
paper cut the patches from BSDS500; photos are scaled so their short side is BSDS500's (321
px), so a patch holds as much texture as theirs. Labels and the train/test split are MNIST's.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from gantool.data.idx import read_split
from gantool.errors import GantoolError
from gantool.files import atomic_dir
from gantool_dann.recipes.blend import blend, load_photos
from gantool_dann.recipes.common import write_info, write_split

PHOTO_SIDE = 321
"""The short side of a BSDS500 photograph (481x321)."""
MIN_PHOTOS = 10
"""Fewer photos repeat the same few textures across 70,000 digits: the target domain would be
a handful of backgrounds a network can memorise (BSDS500 has 200 training photos)."""
MIN_SIDE = 64
"""A smaller photo, scaled up to 321 px, is a blur rather than a texture."""


def build(sources: tuple[Path, Path], out: Path, seed: int) -> Path:
    """out/train/<digit>/*.png (60,000) and out/test/<digit>/*.png (10,000), 28x28 RGB."""
    mnist, photo_folder = sources
    splits = {name: read_split(mnist, name) for name in ("train", "test")}
    photos, origin = load_photos(photo_folder, PHOTO_SIDE, min_side=MIN_SIDE)
    if len(photos) < MIN_PHOTOS:
        raise GantoolError(f"--source {photo_folder} holds {len(photos)} photographs; MNIST-M "
                           f"needs at least {MIN_PHOTOS} (the paper used BSDS500's 200)")
    rng = np.random.default_rng(seed)
    with atomic_dir(out) as tmp:
        for name, split in splits.items():
            digits = split.images.astype(np.float32) / 255.0
            blended = np.stack([blend(digit, photos[rng.integers(len(photos))], rng)
                                for digit in digits])
            write_split(tmp / name, blended, split.labels,
                        [f"{i:05d}" for i in range(len(digits))])
        write_info(tmp, {"recipe": "mnist-m", "digits": str(mnist), "photos": origin,
                         "photo_count": len(photos), "photo_side": PHOTO_SIDE, "size": [28, 28],
                         "seed": seed, "train": len(splits["train"].labels),
                         "test": len(splits["test"].labels)})
    return Path(out)
