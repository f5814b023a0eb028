"""`facades-unpaired`: CMP facades as two unpaired domains, label maps (A) and photos (B).

The CycleGAN paper trains labels <-> photo on the facades pairs with the pairing thrown away.
Here no pair can be seen at all: the training scenes are shuffled by the seed and split in two
halves, the label maps of one half make domain A and the photos of the other half domain B,
each renamed by its place so a name gives nothing away. The test pairs stay aligned by name
(testA/N.png is the label map of testB/N.png), so translations are scored against the true
photo, like pix2pix on the same pairs.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from gantool.errors import GantoolError
from gantool.files import atomic_dir
from gantool_translation.recipes.common import write_info

SUFFIXES = (".jpg", ".jpeg", ".png")


def label_colours() -> np.ndarray:
    """The colours the facades label maps draw their 12 CMP classes in (RGB, 0-255): the jet
    colour map at k/12, k = 1..12 (checked against the training maps: half their pixels lie
    within 9 of one of these; the rest are JPEG-blurred edges)."""
    x = np.arange(1, 13)[:, None] / 12
    centres = np.array([3.0, 2.0, 1.0])  # where red, green and blue peak on jet's 4x axis
    return 255 * np.clip(1.5 - np.abs(4 * x - centres), 0, 1)


def _pairs(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise GantoolError(f"{folder} is missing; --source must hold train/ and test/ of "
                           "side-by-side [photo | label map] images (the pix2pix facades "
                           "layout)")
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES)
    if not files:
        raise GantoolError(f"{folder} holds no side-by-side [photo | label map] images "
                           f"({', '.join(SUFFIXES)}); check --source")
    return files


def _halves(path: Path) -> tuple[Image.Image, Image.Image]:
    """(photo, label map): the left and right halves of a facades pair."""
    with Image.open(path) as pair:
        pair = pair.convert("RGB")
        if pair.width != 2 * pair.height:
            raise GantoolError(f"{path} is {pair.width}x{pair.height}, not a side-by-side "
                               "[photo | label map] pair of two square halves; use the pix2pix "
                               "facades images")
        half = pair.height
        return pair.crop((0, 0, half, half)), pair.crop((half, 0, 2 * half, half))


def build(source: Path | None, out: Path, seed: int) -> Path:
    """out/{trainA,trainB,testA,testB}/NNNNN.png (labels in A, photos in B) and info.json."""
    if source is None:
        raise GantoolError("facades-unpaired needs --source, the facades folder with train/ "
                           "and test/")
    train, test = _pairs(Path(source) / "train"), _pairs(Path(source) / "test")
    order = np.random.default_rng(seed).permutation(len(train))
    labelled, photographed = order[: len(order) // 2], order[len(order) // 2:]
    info = {"recipe": "facades-unpaired", "source": str(source), "seed": seed,
            "trainA_labels_of": [train[i].name for i in labelled],
            "trainB_photos_of": [train[i].name for i in photographed],
            "test_pairs": [p.name for p in test]}
    with atomic_dir(out) as tmp:
        for folder in ("trainA", "trainB", "testA", "testB"):
            (tmp / folder).mkdir()
        for number, index in enumerate(labelled):
            _halves(train[index])[1].save(tmp / "trainA" / f"{number:05d}.png")
        for number, index in enumerate(photographed):
            _halves(train[index])[0].save(tmp / "trainB" / f"{number:05d}.png")
        for number, path in enumerate(test):
            photo, labels = _halves(path)
            labels.save(tmp / "testA" / f"{number:05d}.png")
            photo.save(tmp / "testB" / f"{number:05d}.png")
        write_info(tmp, info)
    return Path(out)
