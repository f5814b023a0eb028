"""Images as networks take them, ... x C x H x W tensors, converted alike for every task.

The rules are those of `gantool.images` on arrays: grey becomes colour by repeating its plane,
colour becomes grey by BT.601 luma (`gantool.images.LUMA`, as reading a file as grey does),
and a side changes bilinearly, antialiased where it shrinks. uint8 images stay uint8 (rounded);
float images are in [0, 1] and stay there.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

from gantool.images import LUMA


def set_channels(images: Tensor, channels: int) -> Tensor:
    """`images` (uint8 or float) with 1 or 3 channels; grey made colour is a view."""
    if images.shape[-3] == channels:
        return images
    if channels == 3:
        return images.expand(*images.shape[:-3], 3, *images.shape[-2:])
    floats = images if images.is_floating_point() else images.float()
    weights = torch.tensor(LUMA, dtype=floats.dtype, device=images.device).view(3, 1, 1)
    grey = (floats * weights).sum(-3, keepdim=True)
    return grey if images.is_floating_point() else grey.round().to(images.dtype)


def resize(images: Tensor, size: int | tuple[int, int]) -> Tensor:
    """N x C x H x W images at `size` (a side, or height and width)."""
    height, width = (size, size) if isinstance(size, int) else size
    if images.shape[-2:] == (height, width):
        return images
    shrinks = images.shape[-2] > height or images.shape[-1] > width
    out = F.interpolate(images if images.is_floating_point() else images.float(),
                        size=(height, width), mode="bilinear", align_corners=False,
                        antialias=shrinks)
    if images.is_floating_point():
        return out.clamp(0, 1)
    return out.round().clamp(0, 255).to(images.dtype)
