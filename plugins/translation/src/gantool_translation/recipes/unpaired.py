"""`dark2bright`: an unpaired task between two real lighting conditions of photographs.

The photographs are ranked by mean luma: the darkest third (dusk, shade, interiors, low-key
scenes) is domain A, the brightest third (daylight, snow, sky, high-key scenes) domain B, the
middle third is left out so the domains do not touch. Both are real photographs, so translating
A to B has to change exposure, contrast and colour cast the way real bright scenes differ from
dark ones, and an untranslated A is measurably far from B (the baseline). In each domain 20% of
the photographs are held out for the test crops.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

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

CROPS = {"train": 30, "test": 16}
"""Crops per photograph: about 21 train photos x 30 = 640 images per domain, 5 x 16 = 80 test."""


def build(source: Path | None, out: Path, seed: int) -> Path:
    """out/{trainA,trainB,testA,testB}/*.png (64x64 colour crops) and info.json."""
    photos = load_photos(source)
    rng = np.random.default_rng(seed)
    order = np.argsort([float(to_channels(photo, 1).mean()) for _, photo in photos], kind="stable")
    third = len(photos) // 3
    domains = {"A": sorted(order[:third].tolist()), "B": sorted(order[-third:].tolist())}
    info = {"recipe": "dark2bright", "source": str(source), "seed": seed, "crop": CROP}
    with atomic_dir(out) as tmp:
        for domain, indices in domains.items():
            train, test = split_photos(len(indices), rng)
            for split, chosen in (("train", train), ("test", test)):
                names = []
                for position in chosen:
                    photo_name, photo = photos[indices[position]]
                    names.append(photo_name)
                    for k, crop in enumerate(random_crops(photo, CROPS[split], rng)):
                        save_png(crop, tmp / f"{split}{domain}" / f"{Path(photo_name).stem}_"
                                                                  f"{k:02d}.png")
                info[f"{split}{domain}_photos"] = names
                info[f"{split}{domain}"] = len(chosen) * CROPS[split]
        write_info(tmp, info)
    return Path(out)
