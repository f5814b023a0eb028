"""Tiled inference: bounded memory for any image size, with no seams.

Each tile is run with `pad` pixels of real context on every side (at least the network's
receptive radius) and only its core is kept, so every output pixel sees exactly the input it
would see if the whole image were run at once: the tiles join without seams or blending.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from gantool_superres.engines import Forward

Box = tuple[int, int, int, int]  # top, left, bottom, right


def tiles(height: int, width: int, tile: int, pad: int) -> Iterator[tuple[Box, Box]]:
    """(core, padded) boxes covering the image; `tile <= 0` means one tile."""
    step_y = tile if tile > 0 else height
    step_x = tile if tile > 0 else width
    for top in range(0, height, step_y):
        for left in range(0, width, step_x):
            core = (top, left, min(top + step_y, height), min(left + step_x, width))
            padded = (max(0, top - pad), max(0, left - pad),
                      min(height, core[2] + pad), min(width, core[3] + pad))
            yield core, padded


def upscaled_tiles(forward: Forward, image: np.ndarray, scale: int, tile: int,
                   pad: int) -> Iterator[tuple[int, int, np.ndarray]]:
    """(top, left, core) in output pixels for each tile of (H, W, 3) float32 `image`, the core
    as (3, h, w) float32.

    Tiles are yielded one at a time so the caller can store each in its final (8- or 16-bit)
    form: no full-size float copy of the output ever exists.
    """
    height, width = image.shape[:2]
    for (top, left, bottom, right), (y0, x0, y1, x1) in tiles(height, width, tile, pad):
        patch = np.ascontiguousarray(image[y0:y1, x0:x1].transpose(2, 0, 1)[None])
        result = forward(patch)[0]
        dy, dx = (top - y0) * scale, (left - x0) * scale
        yield top * scale, left * scale, \
            result[:, dy:dy + (bottom - top) * scale, dx:dx + (right - left) * scale]


def to_uint8(rgb: np.ndarray) -> np.ndarray:
    """A (3, h, w) float tile in [0, 1] as (h, w, 3) uint8, rounded as a saved image is."""
    return (np.clip(rgb, 0, 1) * 255).round().astype(np.uint8).transpose(1, 2, 0)


def upscale_array(forward: Forward, image: np.ndarray, scale: int, tile: int,
                  pad: int) -> np.ndarray:
    """The whole 8-bit (H*scale, W*scale, 3) upscale, for evaluation and tests."""
    out = np.empty((image.shape[0] * scale, image.shape[1] * scale, 3), dtype=np.uint8)
    for top, left, core in upscaled_tiles(forward, image, scale, tile, pad):
        pixels = to_uint8(core)
        out[top:top + pixels.shape[0], left:left + pixels.shape[1]] = pixels
    return out
