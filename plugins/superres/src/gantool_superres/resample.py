"""The degradation the models are trained to invert, and the bicubic baseline."""

from __future__ import annotations

import torch.nn.functional as F
from torch import Tensor

from gantool_superres.metrics import quantise


def downscale(hr: Tensor, scale: int) -> Tensor:
    """Antialiased bicubic downsampling (the usual SR degradation) to 8-bit levels in [0, 1]:
    the low-resolution image as a saved file holds it, which is what `run` is given."""
    h, w = hr.shape[-2] // scale, hr.shape[-1] // scale
    squeeze = hr.dim() == 3
    batch = hr[None] if squeeze else hr
    lr = quantise(F.interpolate(batch, size=(h, w), mode="bicubic", antialias=True,
                                align_corners=False))
    return lr[0] if squeeze else lr


def bicubic_upscale(lr: Tensor, scale: int, *, sharp: bool = False) -> Tensor:
    """The bicubic baseline: Keys' cubic (a = -0.5) of MATLAB's imresize and PIL, which the SR
    literature reports (torch applies it on its antialiased path); `sharp` uses torch's default
    a = -0.75 instead, a sharper kernel that scores higher PSNR on natural photos."""
    return F.interpolate(lr, scale_factor=scale, mode="bicubic", align_corners=False,
                         antialias=not sharp).clamp(0, 1)
