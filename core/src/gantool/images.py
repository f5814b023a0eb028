"""The user's images: listing, reading, converting, resizing and writing, the same for every
task (`gantool.image_tensors` converts and resizes them as tensors by the same rules).

Reading applies the EXIF orientation (a phone photo comes out the way it is shown), refuses
files above a pixel limit before decoding them (decompression bombs), takes the first frame
of an animated file with a notice, and turns palette, grey, alpha and 16-bit files into the
8-bit grey or RGB arrays a network takes. Every failure is one GantoolError naming the file.
This module imports no torch, so `gantool run` can use it without loading torch.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from gantool.errors import GantoolError
from gantool.files import IMAGE_SUFFIXES, atomic_path

LUMA = (0.299, 0.587, 0.114)
"""BT.601 weights of red, green and blue in grey, as PIL's "L" mode that reading a file as grey
uses: every conversion of colour to grey in gantool weighs the channels alike."""
MAX_PIXELS = 100_000_000
"""Default limit of `open_image` (a 12 MP photo is 12,000,000)."""
Image.MAX_IMAGE_PIXELS = None  # `open_image`'s own limit replaces PIL's warning and error
Mode = Literal["L", "RGB", "auto"]


def image_files(folder: Path, *, recursive: bool = False) -> list[Path]:
    """The images in `folder` (and its subfolders when `recursive`), sorted by path."""
    folder = Path(folder)
    if not folder.is_dir():
        raise GantoolError(f"{folder} is not a directory of images; check the path")
    found = folder.rglob("*") if recursive else folder.iterdir()
    return sorted(p for p in found if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)


def open_image(path: Path, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """A fully decoded image, upright, with its file's `format`, or a GantoolError naming what
    is wrong with the file."""
    try:
        image = Image.open(path)
    except FileNotFoundError:
        raise GantoolError(f"{path} not found") from None
    except IsADirectoryError:
        raise GantoolError(f"{path} is a directory, not an image") from None
    except UnidentifiedImageError:
        raise GantoolError(f"{path} is not an image PIL can read (PNG, JPEG, WebP, BMP); "
                           "remove or replace it") from None
    except OSError as exc:
        raise GantoolError(f"cannot read {path}: {exc.strerror or exc}") from None
    width, height = image.size
    if width == 0 or height == 0:
        raise GantoolError(f"{path} is an empty ({width}x{height}) image")
    if max_pixels and width * height > max_pixels:
        raise GantoolError(f"{path} has {width * height:,} pixels, above the limit of "
                           f"{max_pixels:,}; raise the limit (--max-pixels) if you trust it")
    if getattr(image, "n_frames", 1) > 1:
        print(f"notice: {path} is animated ({image.n_frames} frames); using the first frame",
              file=sys.stderr)
        image.seek(0)
    try:
        image.load()
        upright = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError) as exc:
        raise GantoolError(f"{path} is truncated or corrupt ({exc}); remove or replace it") \
            from None
    if upright is None:
        return image
    upright.format = image.format  # the file's format (lossy or not), which the copy loses
    if hasattr(image, "quantization"):
        upright.quantization = image.quantization  # a JPEG's tables: how hard it was compressed
    return upright


def is_grey(image: Image.Image) -> bool:
    """Grey files, and palette files whose colours are all grey."""
    if image.mode in ("1", "L", "LA", "I", "I;16", "I;16B", "I;16L", "F"):
        return True
    if image.mode == "P":
        palette = np.asarray(image.getpalette() or [], dtype=np.int32).reshape(-1, 3)
        return bool(len(palette)) and bool((palette == palette[:, :1]).all())
    return False


def to_8bit(image: Image.Image) -> Image.Image:
    """16-bit and float grey images scaled to 8 bits (PIL's own conversion clips them)."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        values = np.asarray(image, dtype=np.float64)
        peak = 65535.0 if values.max(initial=0) > 255 or image.mode != "I" else 255.0
        return Image.fromarray((values / peak * 255).round().clip(0, 255).astype(np.uint8))
    if image.mode == "F":
        values = np.asarray(image, dtype=np.float64)
        peak = 1.0 if values.max(initial=0) <= 1.0 else 255.0
        return Image.fromarray((values / peak * 255).round().clip(0, 255).astype(np.uint8))
    return image


def to_array(image: Image.Image, mode: Mode = "auto") -> np.ndarray:
    """uint8 H x W x C: C = 1 for "L", 3 for "RGB", and for "auto" 1 when the file is grey.
    Alpha is dropped (composited on nothing: the stored colours are kept)."""
    target = ("L" if is_grey(image) else "RGB") if mode == "auto" else mode
    pixels = np.asarray(to_8bit(image).convert(target))
    return pixels[..., None] if pixels.ndim == 2 else pixels


def to_channels(pixels: np.ndarray, channels: int) -> np.ndarray:
    """H x W x C pixels (uint8, or float in [0, 1]) with 1 or 3 channels: grey becomes colour by
    repeating its plane, colour becomes grey by `LUMA`."""
    if pixels.shape[-1] == channels:
        return pixels
    if channels == 3:
        return np.repeat(pixels, 3, axis=-1)
    grey = (pixels.astype(np.float32) * np.asarray(LUMA, np.float32)).sum(-1, keepdims=True)
    return grey.round().astype(np.uint8) if pixels.dtype == np.uint8 else grey


def read_image(path: Path, mode: Mode = "auto", max_pixels: int = MAX_PIXELS) -> np.ndarray:
    """`open_image` then `to_array`: what most tasks want from a file."""
    return to_array(open_image(path, max_pixels), mode)


def resize(pixels: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """uint8 H x W x C resized to (width, height) with antialiased bicubic."""
    image = Image.fromarray(pixels[..., 0] if pixels.shape[-1] == 1 else pixels)
    out = np.asarray(image.resize(size, Image.Resampling.BICUBIC))
    return out[..., None] if out.ndim == 2 else out


def save_png(image: Image.Image | np.ndarray, path: Path) -> None:
    """A PIL image, or a uint8 H x W (x C) array, as a PNG at `path` (whatever its suffix)."""
    if isinstance(image, np.ndarray):
        image = Image.fromarray(image[..., 0] if image.ndim == 3 and image.shape[-1] == 1
                                else image)
    image.save(path, format="PNG")


def write_png(image: Image.Image | np.ndarray, path: Path) -> None:
    """Write a PNG atomically: a failure (a full disk) leaves no partial file."""
    with atomic_path(Path(path)) as tmp:
        save_png(image, tmp)
