"""Reading image/mask folders, with one clear error for each way a pair can be unusable.

Images and masks are matched by file stem (`scan7.png` <-> `scan7.png` or `scan7.bmp`). A mask
is binary (0/255, or 0/1) or indexed (class numbers 0..K-1, greyscale or a palette PNG);
anything else (soft edges from JPEG or interpolation, colour) is refused rather than guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gantool.errors import GantoolError
from gantool.files import IMAGE_SUFFIXES
from gantool.images import open_image, to_array
from gantool_segan.config import MAX_CLASSES

SUFFIXES = (*IMAGE_SUFFIXES, ".tif", ".tiff")
"""Scans are often TIFF, which the core's image suffixes leave out."""


@dataclass
class Pair:
    name: str
    image: np.ndarray
    """H x W x C float32 in [0, 1], C = 1 (grey) or 3."""
    labels: np.ndarray
    """H x W int64 class indices (0 = background)."""


def image_files(folder: Path, what: str) -> list[Path]:
    """Images directly in `folder`, sorted; `what` names the option in messages."""
    folder = Path(folder)
    if not folder.is_dir():
        raise GantoolError(f"--{what} {folder} is not a directory; pass a folder of images")
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
    if not files:
        raise GantoolError(f"--{what} {folder} holds no images ({', '.join(SUFFIXES)}); "
                           f"check the --{what} path")
    return files


def read_image(path: Path) -> np.ndarray:
    """H x W x C float32 in [0, 1]; greyscale kept as one channel, and 16-bit scans keep their
    precision (the core's 8-bit arrays would round them)."""
    image = open_image(path)
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        pixels = np.asarray(image, dtype=np.float32)
        return (pixels / max(65535.0 if pixels.max() > 255 else 255.0, 1.0))[..., None]
    return to_array(image).astype(np.float32) / 255.0


def read_mask(path: Path) -> np.ndarray:
    """H x W int64 labels from a binary or indexed mask, or a GantoolError saying why not."""
    mask = open_image(path)
    if mask.mode == "P":
        values = np.asarray(mask)
    else:
        rgb = np.asarray(mask.convert("RGB")) if mask.mode not in ("1", "L", "LA", "I",
                                                                   "I;16") else None
        if rgb is not None and not (rgb == rgb[..., :1]).all():
            raise GantoolError(
                f"mask {path} is a colour image; save masks as greyscale (0/255 binary or "
                f"class numbers 0..{MAX_CLASSES - 1}) or as a palette PNG of class indices")
        values = rgb[..., 0] if rgb is not None else np.asarray(mask.convert("I"))
    levels = np.unique(values)
    if set(levels.tolist()) <= {0, 255}:
        return (values > 0).astype(np.int64)
    if levels.min() >= 0 and levels.max() < MAX_CLASSES:
        return values.astype(np.int64)
    shown = ", ".join(map(str, levels[:6].tolist())) + (", ..." if len(levels) > 6 else "")
    raise GantoolError(
        f"mask {path} is neither binary nor indexed: it has {len(levels)} grey levels "
        f"({shown}); use 0/255 (or 0/1) for binary masks and 0..{MAX_CLASSES - 1} for class "
        "indices, saved as PNG (JPEG and interpolated resizing blur the edges)")


def mask_for(image: Path, masks: dict[str, Path], folder: Path) -> Path:
    try:
        return masks[image.stem]
    except KeyError:
        raise GantoolError(
            f"no mask for image {image.name} in {folder} (expected {image.stem}.png); masks "
            "are matched to images by file name") from None


def load_pairs(images: Path, masks: Path) -> list[Pair]:
    """Every image of `images` with its mask from `masks`, sizes checked."""
    image_paths = image_files(images, "images")
    mask_paths = {p.stem: p for p in image_files(masks, "masks")}
    orphans = sorted(set(mask_paths) - {p.stem for p in image_paths})
    if orphans:
        more = f" (and {len(orphans) - 1} more)" if len(orphans) > 1 else ""
        raise GantoolError(f"mask {mask_paths[orphans[0]]} has no image in {images}{more}; "
                           "images and masks are matched by file name, so remove the stray "
                           "masks or add their images")
    pairs = []
    for path in image_paths:
        mask_path = mask_for(path, mask_paths, Path(masks))
        image, labels = read_image(path), read_mask(mask_path)
        if image.shape[:2] != labels.shape:
            raise GantoolError(
                f"image {path} is {image.shape[1]}x{image.shape[0]} but its mask {mask_path} "
                f"is {labels.shape[1]}x{labels.shape[0]}; a mask must have its image's size")
        pairs.append(Pair(path.stem, image, labels))
    return pairs
