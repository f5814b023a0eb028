"""Image metrics: full-reference ones for paired outputs (super-resolution, translation), and
`checkerboard_db`, which needs no reference, for the grid artefact of up-sampling layers.

Images are float in [0, 1], NCHW (or CHW for one image). The super-resolution protocol
scores the luma channel only: apply `rgb_to_y` to both images first.
"""

from __future__ import annotations

import torch
from torch import Tensor


def _batch(x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    if x.shape != y.shape:
        raise ValueError(f"image shapes differ: {tuple(x.shape)} vs {tuple(y.shape)}")
    if x.dim() not in (3, 4):
        raise ValueError(f"expected CHW or NCHW images, got shape {tuple(x.shape)}")
    return (x[None], y[None]) if x.dim() == 3 else (x, y)


def psnr(x: Tensor, y: Tensor, max_val: float = 1.0) -> float:
    """Mean of per-image PSNRs in dB, as SR papers report (not the PSNR of the pooled MSE)."""
    from kornia.metrics import psnr as kornia_psnr  # slow to import: only when used

    x, y = _batch(x, y)
    return float(torch.stack([kornia_psnr(a, b, max_val) for a, b in zip(x, y, strict=True)])
                 .mean())


def ssim(x: Tensor, y: Tensor, window: int = 11, max_val: float = 1.0) -> float:
    """Mean SSIM (Wang et al. 2004) with a Gaussian window (sigma 1.5).

    Only windows that fit inside the image count ('valid'), as in the reference MATLAB code,
    so no padding convention leaks into the score.
    """
    from kornia.metrics import ssim as kornia_ssim  # slow to import: only when used

    x, y = _batch(x, y)
    return float(kornia_ssim(x, y, window, max_val=max_val, padding="valid").mean())


def rgb_to_y(images: Tensor) -> Tensor:
    """ITU-R BT.601 luma of RGB in [0, 1], in [16/255, 235/255] like MATLAB's rgb2ycbcr.

    The channel axis (-3) is kept with size 1, so the result feeds `psnr` and `ssim`.
    """
    if images.dim() < 3 or images.shape[-3] != 3:
        raise ValueError(f"expected RGB images (3 channels at axis -3), got {tuple(images.shape)}")
    weights = images.new_tensor([65.481, 128.553, 24.966]).view(3, 1, 1)
    return (16.0 + (images * weights).sum(-3, keepdim=True)) / 255.0


LAB_RANGES = {"L": (0.0, 100.0), "a": (-110.0, 110.0), "b": (-110.0, 110.0)}


def lab_histogram_intersection(x: Tensor, y: Tensor, bins: int = 64) -> dict[str, float]:
    """How well the colours of image set `x` match those of `y`: for each CIE Lab channel, the
    intersection (sum of bin-wise minima) of the two sets' normalised pixel histograms, 1 when
    identical. pix2pix (Isola et al. 2017, Fig. 7) uses it to show that an L1-only model gives
    greyish, narrow colour distributions where the cGAN's match the truth's; fidelity metrics
    cannot show that. RGB NCHW in [0, 1]; grey images (one channel) have a = b = 0."""
    from kornia.color import rgb_to_lab

    def lab(images: Tensor) -> Tensor:
        images = images.float().clamp(0, 1)
        return rgb_to_lab(images.expand(-1, 3, -1, -1) if images.shape[1] == 1 else images)

    lab_x, lab_y = lab(x), lab(y)
    scores = {}
    for index, (name, (low, high)) in enumerate(LAB_RANGES.items()):
        hist_x, hist_y = (torch.histc(v[:, index].clamp(low, high), bins, low, high)
                          for v in (lab_x, lab_y))
        scores[name] = float(torch.minimum(hist_x / hist_x.sum(), hist_y / hist_y.sum()).sum())
    return scores


CHECKERBOARD_PERIOD = 4
"""Strided up-sampling repeats its kernel's overlap pattern every 2 pixels, and every 4 where two
such layers stack: the spectrum then peaks at multiples of 1/4 cycle per pixel."""
_PEAK_RADIUS, _RING = 1, (3, 5)
"""The peak's own 3x3 bins (a Hann window spreads a line over +-1 bin) against the bins 3 to 5
away (Chebyshev distance): the local level of the spectrum the peak stands out from."""
CHECKERBOARD_MIN_SIDE = CHECKERBOARD_PERIOD * (2 * _RING[1] + 1)
"""The smallest side `checkerboard_db` scores: below it a ring would reach the next peak."""


def checkerboard_db(images: Tensor) -> float:
    """How strongly images carry the grid artefact of transposed convolutions (Odena et al.
    2016, "Deconvolution and checkerboard artifacts"), in dB: the luma spectrum's power at the
    frequencies of period-2 and period-4 patterns (both axes non-zero, where the 2-D checker
    lies and an image's own horizontal and vertical edges do not) over the power in a ring
    around each, averaged over those frequencies and the images. Photos score about 0 dB (no
    peak); every 3 dB more doubles the peak's power. Fidelity and KID do not single it out,
    so it lets up-sampling choices be compared on the artefact itself. NCHW in [0, 1], RGB or
    grey, both sides at least `CHECKERBOARD_MIN_SIDE`."""
    if images.dim() != 4 or images.shape[1] not in (1, 3):
        raise ValueError(f"expected NCHW grey or RGB images, got shape {tuple(images.shape)}")
    height, width = images.shape[-2:]
    if min(height, width) < CHECKERBOARD_MIN_SIDE:
        raise ValueError(f"images of {height}x{width} px are too small to score checkerboards; "
                         f"use at least {CHECKERBOARD_MIN_SIDE} px a side")
    luma = (rgb_to_y(images) if images.shape[1] == 3 else images)[:, 0].double() * 255
    luma = luma - luma.mean((1, 2), keepdim=True)
    window = (torch.hann_window(height, dtype=luma.dtype)[:, None]
              * torch.hann_window(width, dtype=luma.dtype)[None])
    power = torch.fft.fft2(luma * window).abs().square()
    offsets = torch.arange(-_RING[1], _RING[1] + 1)
    distance = offsets.abs()[:, None].maximum(offsets.abs()[None])
    peak, ring = distance <= _PEAK_RADIUS, (distance >= _RING[0]) & (distance <= _RING[1])
    ratios = []
    for i in range(1, CHECKERBOARD_PERIOD):
        for j in range(1, CHECKERBOARD_PERIOD):
            rows = (i * height // CHECKERBOARD_PERIOD + offsets) % height
            cols = (j * width // CHECKERBOARD_PERIOD + offsets) % width
            block = power[:, rows][:, :, cols]
            ratios.append(block[:, peak].mean(1) / block[:, ring].mean(1))
    return float(10 * torch.log10(torch.stack(ratios).mean()))
