"""The standard SR measures (on the luma channel, borders cropped) and a texture measure.

PSNR and SSIM follow the usual protocol: outputs quantised to 8 bits, BT.601 studio-swing Y
(MATLAB's rgb2ycbcr), `scale` pixels cropped at each border, SSIM with an 11x11 Gaussian window
(sigma 1.5) over valid positions. The texture measure is the energy an image holds above the
low-resolution input's Nyquist frequency: exactly the band bicubic cannot restore, so the ratio
output / ground truth shows how much fine texture a model recovers (1 = as much as the truth).
"""

from __future__ import annotations

import torch
from torch import Tensor

Y_WEIGHTS = (65.481, 128.553, 24.966)


def luma(rgb: Tensor) -> Tensor:
    """(N, 3, H, W) RGB in [0, 1] -> (N, 1, H, W) Y in [16/255, 235/255]."""
    w = torch.tensor(Y_WEIGHTS, dtype=rgb.dtype, device=rgb.device).view(1, 3, 1, 1) / 255
    return (rgb * w).sum(1, keepdim=True) + 16 / 255


def quantise(x: Tensor) -> Tensor:
    return (x.clamp(0, 1) * 255).round() / 255


def crop(x: Tensor, border: int) -> Tensor:
    return x[..., border:x.shape[-2] - border, border:x.shape[-1] - border] if border else x


def psnr(a: Tensor, b: Tensor) -> float:
    mse = (a.double() - b.double()).pow(2).mean().item()
    return float("inf") if mse == 0 else 10 * torch.log10(torch.tensor(1.0 / mse)).item()


def ssim(a: Tensor, b: Tensor) -> float:
    from kornia.metrics import ssim as kornia_ssim

    return kornia_ssim(a.double(), b.double(), 11, max_val=1.0, padding="valid").mean().item()


def high_frequency_energy(y: Tensor, cutoff: float) -> float:
    """Mean spectral energy of (N, 1, H, W) `y` above `cutoff` cycles/pixel (Hann-windowed)."""
    h, w = y.shape[-2:]
    window = torch.hann_window(h, periodic=False, dtype=y.dtype)[:, None] * \
        torch.hann_window(w, periodic=False, dtype=y.dtype)[None, :]
    spectrum = torch.fft.rfft2((y - y.mean()) * window).abs().pow(2)
    fy = torch.fft.fftfreq(h, dtype=y.dtype)[:, None]
    fx = torch.fft.rfftfreq(w, dtype=y.dtype)[None, :]
    band = torch.maximum(fy.abs(), fx.abs()) > cutoff
    return (spectrum * band).sum().item() / (h * w)


def compare(output: Tensor, truth: Tensor, scale: int) -> dict[str, float]:
    """PSNR-Y, SSIM-Y and the HF-energy ratio of one (1, 3, H, W) output against its truth."""
    out_y, true_y = (crop(luma(quantise(x)).double(), scale) for x in (output, truth))
    cutoff = 0.5 / scale
    return {"psnr": psnr(out_y, true_y), "ssim": ssim(out_y, true_y),
            "hf_ratio": high_frequency_energy(out_y, cutoff) /
            max(high_frequency_energy(true_y, cutoff), 1e-12)}
