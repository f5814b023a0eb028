"""Sample grids of the generators: unconditional, or one row per class."""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from gantool.images import write_png
from gantool.train.devices import device_of
from gantool_semisup.models import one_hot

CELL = 32
"""Pixels per grid cell: 8x8 digits are scaled up (nearest) so they can be seen."""


def save_grid(images: Tensor, columns: int, path: Path) -> None:
    """N x C x H x W images in [0, 1] as a PNG of `columns` per row, 1-pixel grey gutters."""
    n, channels, height, width = images.shape
    scale = max(1, CELL // max(height, width))
    images = F.interpolate(images.float().cpu(), scale_factor=scale, mode="nearest")
    rows = -(-n // columns)
    h, w = height * scale, width * scale
    canvas = torch.full((channels, rows * (h + 1) + 1, columns * (w + 1) + 1), 0.5)
    for i, image in enumerate(images):
        r, c = divmod(i, columns)
        top, left = 1 + r * (h + 1), 1 + c * (w + 1)
        canvas[:, top: top + h, left: left + w] = image
    write_png((canvas.clamp(0, 1) * 255).round().byte().permute(1, 2, 0).numpy(), path)


def sample(generator: nn.Module, n: int, z_dim: int, seed: int,
           labels: Tensor | None = None) -> Tensor:
    """Generated images from fixed noise, so grids of successive snapshots are comparable."""
    device = device_of(generator)
    draw = torch.rand if generator.noise == "uniform" else torch.randn
    z = draw(n, z_dim, generator=torch.Generator().manual_seed(seed)).to(device)
    with torch.no_grad():
        if labels is None:
            return generator(z).cpu()
        return generator(z, one_hot(labels, generator.classes).to(device)).cpu()


def unconditional_grid(generator: nn.Module, z_dim: int, path: Path, side: int = 10) -> None:
    save_grid(sample(generator, side * side, z_dim, 0), side, path)


def class_grid(generator: nn.Module, z_dim: int, path: Path, per_class: int = 10) -> None:
    """Row k holds `per_class` samples of class k: does the generator follow the labels?"""
    labels = torch.arange(generator.classes).repeat_interleave(per_class)
    save_grid(sample(generator, len(labels), z_dim, 0, labels), per_class, path)
