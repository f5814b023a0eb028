"""Any picture of one digit as MNIST shows digits, so a classifier trained on MNIST can read it.

MNIST's digits (LeCun et al. 1998) are light strokes on black, size-normalised to fit a 20x20
box with their aspect ratio kept, then placed in a 28x28 field with their centre of mass at
its centre. A scanned or photographed digit (dark ink on light paper, any size, in colour) is
none of that, and a classifier trained on MNIST reads it as noise; this makes it so.
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from scipy import ndimage

from gantool.errors import GantoolError

SIDE, BOX = 28, 20
INK = 0.2
"""Share of the brightest stroke above which a pixel counts as ink when finding the digit."""


def is_mnist_like(pixels: np.ndarray) -> bool:
    """28x28 grey with a dark background: already as MNIST's digits are."""
    return pixels.shape == (SIDE, SIDE, 1) and float(np.median(pixels)) < 128


def as_mnist(pixels: np.ndarray, name: str) -> np.ndarray:
    """H x W x C uint8 -> 28 x 28 x 1 uint8: grey, light on dark, fitted and centred."""
    grey = pixels.astype(np.float32).mean(axis=2)
    background = float(np.median(grey))
    ink = grey - background if background < 128 else background - grey
    ink = np.clip(ink, 0, None)
    peak = float(ink.max())
    if peak < 16:
        raise GantoolError(f"{name} shows no digit (no strokes stand out from the background); "
                           "pass a picture of one digit")
    rows, columns = np.nonzero(ink > INK * peak)
    crop = ink[rows.min(): rows.max() + 1, columns.min(): columns.max() + 1] * (255 / peak)
    scale = BOX / max(crop.shape)
    size = (max(1, round(crop.shape[1] * scale)), max(1, round(crop.shape[0] * scale)))
    fitted = np.asarray(Image.fromarray(crop).resize(size, Image.Resampling.LANCZOS))
    canvas = np.zeros((SIDE, SIDE), np.float32)
    top, left = (SIDE - size[1]) // 2, (SIDE - size[0]) // 2
    canvas[top: top + size[1], left: left + size[0]] = np.clip(fitted, 0, 255)
    centre_y, centre_x = ndimage.center_of_mass(canvas)
    middle = (SIDE - 1) / 2
    centred = ndimage.shift(canvas, (middle - centre_y, middle - centre_x), order=1)
    return np.clip(centred, 0, 255).round().astype(np.uint8)[:, :, None]
