"""Reading and writing the user's images, with one clear error for every way a file can be bad.

Colour is handled as planes: an RGB float image the network upscales, plus an optional alpha
plane upscaled separately (bicubic), so greyscale, RGBA and 16-bit files come back in the mode
they arrived in.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image, UnidentifiedImageError

from gantool.errors import GantoolError
from gantool.files import IMAGE_SUFFIXES, atomic_path
from gantool_superres.tiling import to_uint8

if TYPE_CHECKING:
    from torch import Tensor

SUFFIXES = IMAGE_SUFFIXES
Image.MAX_IMAGE_PIXELS = None  # the caller's --max-pixels limit replaces PIL's bomb check


def image_files(folder: Path) -> list[Path]:
    """Images directly inside `folder`, sorted by name."""
    if not folder.is_dir():
        raise GantoolError(f"{folder} is not a directory of images")
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)


def open_image(path: Path, max_pixels: int = 0) -> Image.Image:
    """A fully decoded image, or a GantoolError naming what is wrong with the file."""
    try:
        image = Image.open(path)
    except FileNotFoundError:
        raise GantoolError(f"{path} not found") from None
    except UnidentifiedImageError:
        raise GantoolError(f"{path} is not an image PIL can read (PNG, JPEG, WebP, BMP)") \
            from None
    except OSError as exc:
        raise GantoolError(f"cannot read {path}: {exc.strerror or exc}") from None
    width, height = image.size
    if width == 0 or height == 0:
        raise GantoolError(f"{path} is an empty ({width}x{height}) image")
    if max_pixels and width * height > max_pixels:
        raise GantoolError(
            f"{path} has {width * height:,} pixels, above the limit of {max_pixels:,}; "
            "raise --max-pixels (tiling, --tile, keeps memory bounded)")
    try:
        image.load()
    except (OSError, SyntaxError, ValueError) as exc:
        raise GantoolError(f"{path} is truncated or corrupt ({exc})") from None
    return image


def read_rgb(path: Path) -> Tensor:
    """uint8 (3, H, W) tensor of an image in RGB (for training and evaluation, which use torch;
    `run` does not, so torch is imported here and not at the top)."""
    import torch

    return torch.from_numpy(np.array(open_image(path).convert("RGB"))).permute(2, 0, 1)


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
    grey = image.mode in ("1", "L", "LA") or (image.mode == "P" and _palette_grey(image))
    has_alpha = "A" in image.getbands() or "transparency" in image.info
    rgba = image.convert("RGBA") if has_alpha else image.convert("RGB")
    alpha = rgba.getchannel("A") if has_alpha else None
    rgb = np.asarray(rgba.convert("RGB"), dtype=np.float32) / 255.0
    return rgb, Planes(alpha, grey, 8)


def _palette_grey(image: Image.Image) -> bool:
    palette = np.asarray(image.getpalette() or [], dtype=np.int32).reshape(-1, 3)
    return bool(len(palette)) and bool((palette == palette[:, :1]).all())


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
    """Write atomically: a failure leaves no partial file."""
    with atomic_path(path) as tmp:
        image.save(tmp, format="PNG", compress_level=1)
