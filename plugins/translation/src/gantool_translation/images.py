"""Images as the networks take them: A|B pairs split, channels converted, sizes padded.

Images are uint8 C x H x W tensors while stored and float in [-1, 1] inside the networks
(their tanh output range). Greyscale is kept as one channel, so a model knows whether it takes
or makes grey or colour images. Files are read by `gantool.images`, written by `gantool.run`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

from gantool.errors import GantoolError
from gantool.image_tensors import resize, set_channels
from gantool.images import MAX_PIXELS, read_image


def read_tensor(path: Path, max_pixels: int = MAX_PIXELS) -> Tensor:
    """uint8 C x H x W, C = 1 for greyscale files and 3 for colour (alpha dropped)."""
    return torch.from_numpy(read_image(path, "auto", max_pixels).copy()).permute(2, 0, 1)


def squeeze_grey(image: Tensor) -> Tensor:
    """One channel when the three are equal: the grey half of a colour A|B file."""
    if image.shape[0] == 3 and torch.equal(image[0], image[1]) and torch.equal(image[1],
                                                                                image[2]):
        return image[:1]
    return image


def split_pair(image: Tensor, path: Path) -> tuple[Tensor, Tensor]:
    """The left (A) and right (B) halves of a side-by-side pair of square images."""
    height, width = image.shape[-2:]
    if width != 2 * height:
        raise GantoolError(
            f"{path} is {width}x{height}, not a side-by-side A|B pair (two square halves: width "
            "= 2 x height); join the pairs side by side or use A/ and B/ folders")
    return squeeze_grey(image[..., :height]), squeeze_grey(image[..., height:])


def stack(images: list[Tensor], size: int, folder: Path) -> Tensor:
    """One N x C x size x size uint8 tensor: colour wins over grey, sizes are resized, with a
    notice when anything changes so a conversion is never silent."""
    channels = max(image.shape[0] for image in images)
    resized = sum(image.shape[-2:] != (size, size) for image in images)
    greys = sum(image.shape[0] != channels for image in images)
    if resized or greys:
        changes = [f"{resized} resized to {size}x{size}"] if resized else []
        changes += [f"{greys} grey made colour"] if greys else []
        print(f"notice: {folder}: {', '.join(changes)}", file=sys.stderr)
    return torch.cat([resize(set_channels(image, channels)[None], size) for image in images])


def to_unit(images: Tensor) -> Tensor:
    """uint8 -> float in [-1, 1], the networks' range."""
    return images.float().div(127.5).sub(1.0)


def from_unit(images: Tensor) -> Tensor:
    """The networks' [-1, 1] -> [0, 1] (clamped), the metrics' range."""
    return images.add(1.0).div(2.0).clamp(0.0, 1.0)


def pad_to(image: Tensor, multiple: int) -> Tensor:
    """Replicate-pad the bottom and right so height and width divide by `multiple`."""
    height, width = image.shape[-2:]
    bottom, right = -height % multiple, -width % multiple
    if not bottom and not right:
        return image
    return F.pad(image, (0, right, 0, bottom), mode="replicate")


def to_pixels(image: Tensor) -> np.ndarray:
    """Float C x H x W in [0, 1] to uint8 H x W x C, what a PNG holds (grey for one channel)."""
    return (image.cpu().clamp(0, 1) * 255).round().to(torch.uint8).permute(1, 2, 0).numpy()
