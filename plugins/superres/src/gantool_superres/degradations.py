"""The degradations of the photos people actually upscale, for training a model on them.

A photo that was downscaled and saved as JPEG is not a clean bicubic downscale: it was blurred
by a lens or a resampling filter, resized by whatever the software used, carries sensor noise,
and its 8x8 blocks were quantised. Real-ESRGAN (Wang et al. 2021) trains on random draws of
exactly these; this is its first-order pipeline (one round), each step drawn per crop from the
crop's own generator so a resumed run sees the same inputs:

1. blur (probability 0.8): an anisotropic Gaussian kernel, sigmas 0.2-3 px, any angle;
2. downscale by the factor, by area, bilinear or bicubic resampling;
3. noise: Gaussian (sigma 1-25 levels, grey or per channel) or Poisson (scale 0.05-3);
4. JPEG at a quality of 30-95 (libjpeg through torchvision, as a saved file would be).

`jpeg` keeps only the last step, after the clean model's bicubic downscale: the degradation of
a photo that was downscaled and saved as JPEG, and nothing else.
"""

from __future__ import annotations

import math

import kornia
import torch
import torch.nn.functional as F
from torch import Tensor
from torchvision.io import decode_jpeg, encode_jpeg

from gantool_superres.resample import downscale, quantise

KERNEL = 21
"""Blur kernel side (Real-ESRGAN's largest)."""
BLUR_PROBABILITY = 0.8
SIGMA = (0.2, 3.0)
MODES = ("area", "bilinear", "bicubic")
GAUSSIAN_PROBABILITY = 0.5
NOISE_SIGMA = (1.0, 25.0)
"""Gaussian noise standard deviation, in 8-bit levels."""
GREY_NOISE_PROBABILITY = 0.4
POISSON_SCALE = (0.05, 3.0)
JPEG_QUALITY = (30, 95)


def _uniform(g: torch.Generator, low: float, high: float) -> float:
    return low + (high - low) * float(torch.rand((), generator=g))


def gaussian_kernel(sigma_x: float, sigma_y: float, angle: float, size: int = KERNEL) -> Tensor:
    """A normalised size x size Gaussian with these sigmas along axes rotated by `angle`."""
    half = (size - 1) / 2
    y, x = torch.meshgrid(torch.arange(size) - half, torch.arange(size) - half, indexing="ij")
    cos, sin = math.cos(angle), math.sin(angle)
    along, across = cos * x + sin * y, -sin * x + cos * y
    kernel = torch.exp(-0.5 * ((along / sigma_x) ** 2 + (across / sigma_y) ** 2))
    return kernel / kernel.sum()


def jpeg(image: Tensor, quality: int) -> Tensor:
    """An 8-bit C x H x W float image in [0, 1] saved as JPEG at `quality` and read back."""
    pixels = (image * 255).round().clamp(0, 255).to(torch.uint8)
    return decode_jpeg(encode_jpeg(pixels, quality=quality)).float() / 255


def degrade(hr: Tensor, scale: int, g: torch.Generator, kind: str = "real") -> Tensor:
    """The low-resolution input of a C x H x W high-resolution crop in [0, 1], degraded as a
    real photo is (`real`), or only downscaled as the clean model's inputs are and saved as
    JPEG (`jpeg`): C x H/scale x W/scale, in 8-bit levels."""
    if kind == "jpeg":
        quality = int(torch.randint(JPEG_QUALITY[0], JPEG_QUALITY[1] + 1, (), generator=g))
        return quantise(jpeg(downscale(hr, scale), quality))
    x = hr[None]
    if float(torch.rand((), generator=g)) < BLUR_PROBABILITY:
        kernel = gaussian_kernel(_uniform(g, *SIGMA), _uniform(g, *SIGMA),
                                 _uniform(g, -math.pi, math.pi))
        x = kornia.filters.filter2d(x, kernel[None], border_type="reflect")
    size = (hr.shape[-2] // scale, hr.shape[-1] // scale)
    mode = MODES[int(torch.randint(len(MODES), (), generator=g))]
    x = F.interpolate(x, size=size, mode=mode, **({} if mode == "area" else
                                                    {"antialias": True, "align_corners": False}))
    x = x.clamp(0, 1)
    if float(torch.rand((), generator=g)) < GAUSSIAN_PROBABILITY:
        grey = float(torch.rand((), generator=g)) < GREY_NOISE_PROBABILITY
        shape = (1, 1, *size) if grey else x.shape
        x = x + torch.randn(shape, generator=g) * _uniform(g, *NOISE_SIGMA) / 255
    else:
        peak = 255 / _uniform(g, *POISSON_SCALE)
        x = torch.poisson(x.clamp(0, 1) * peak, generator=g) / peak
    quality = int(torch.randint(JPEG_QUALITY[0], JPEG_QUALITY[1] + 1, (), generator=g))
    return quantise(jpeg(x[0].clamp(0, 1), quality))
