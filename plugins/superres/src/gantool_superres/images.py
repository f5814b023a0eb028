"""The user's images as planes, so every file comes back in the mode it arrived in.

Reading is the core's (`gantool.images`: EXIF orientation, pixel limit, one error per bad
file). What is particular to super-resolution is the colour handling: an RGB float image the
network upscales, plus an optional alpha plane upscaled separately (bicubic), so greyscale,
RGBA and 16-bit files come back as they went in.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

from gantool.images import is_grey, read_image
from gantool_superres.tiling import to_uint8

if TYPE_CHECKING:
    from torch import Tensor


def read_rgb(path: Path) -> Tensor:
    """uint8 (3, H, W) tensor of an image in RGB, for training and evaluation (which use torch;
    `run` does not, so torch is imported here and not at the top). No pixel limit: these are
    the user's own photos, and neither command has a --max-pixels to raise it."""
    import torch

    return torch.from_numpy(np.array(read_image(path, "RGB", max_pixels=0))).permute(2, 0, 1)


@dataclass
class Planes:
    """What the network does not upscale: an optional alpha plane and the output's mode."""

    alpha: Image.Image | None
    grey: bool
    bits: int  # 8 or 16


def split(image: Image.Image) -> tuple[np.ndarray, Planes]:
    """(H, W, 3) float32 RGB in [0, 1] for the network, and the rest of the image."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        grey = np.asarray(image, dtype=np.float32) / 65535.0
        return np.repeat(grey[..., None], 3, axis=2), Planes(None, True, 16)
    grey = is_grey(image)
    has_alpha = "A" in image.getbands() or "transparency" in image.info
    rgba = image.convert("RGBA") if has_alpha else image.convert("RGB")
    alpha = rgba.getchannel("A") if has_alpha else None
    rgb = np.asarray(rgba.convert("RGB"), dtype=np.float32) / 255.0
    return rgb, Planes(alpha, grey, 8)


def canvas(planes: Planes, width: int, height: int) -> Image.Image:
    """An empty output image in the input's mode (tiles are pasted in as they are computed)."""
    mode = "I;16" if planes.bits == 16 else "L" if planes.grey else "RGB"
    return Image.new(mode, (width, height))


def to_tile(rgb: np.ndarray, planes: Planes) -> Image.Image:
    """A (3, h, w) float upscaled tile as a PIL image in the output's mode, quantised."""
    if planes.bits == 16:
        grey = np.clip(rgb, 0, 1).mean(0) * 65535
        return Image.fromarray(grey.round().astype(np.uint16))
    tile = Image.fromarray(to_uint8(rgb))
    return tile.convert("L") if planes.grey else tile


def finish(image: Image.Image, planes: Planes) -> Image.Image:
    """Add the alpha plane, upscaled with bicubic, where the input had one."""
    if planes.alpha is not None:
        image.putalpha(planes.alpha.resize(image.size, Image.Resampling.BICUBIC))
    return image


def save_png(image: Image.Image, path: Path) -> None:
    """At zlib level 1, where the core's PNG uses the default level 6: 3x faster on a
    4096x4096 upscale (1.2 s vs 3.5 s) for a 30 % larger file."""
    image.save(path, format="PNG", compress_level=1)


OUTPUT_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


def save_image(image: Image.Image, path: Path) -> None:
    """In the format the file name says: PNG (lossless), JPEG or WebP (quality 95, far faster
    to write and smaller for a large upscale). JPEG keeps no alpha and no palette: such an
    image is written as colour (or grey) with a notice."""
    suffix = path.suffix.lower()
    if suffix == ".png":
        save_png(image, path)
        return
    if suffix == ".webp":
        image.save(path, format="WEBP", quality=95)
        return
    plain = "L" if image.mode in ("L", "LA", "I", "I;16", "F") else "RGB"
    if image.mode != plain:
        if "A" in image.mode or image.info.get("transparency") is not None:
            print(f"notice: {path.name}: JPEG keeps no transparency; written without it "
                  "(--format png or webp keeps it)", file=sys.stderr)
        image = image.convert(plain)
    image.save(path, format="JPEG", quality=95)
