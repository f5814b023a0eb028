"""Training images at 16x16 in [-1, 1]: synthetic discs and squares, or a user's folder."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import Tensor

from gantool.errors import GantoolError

SIZE = 16
SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp"}


def shapes(n: int, seed: int) -> Tensor:
    """`n` white discs or squares of random size and position on black (N x 1 x 16 x 16)."""
    generator = torch.Generator().manual_seed(seed)
    centre = 4 + 8 * torch.rand(n, 2, 1, 1, generator=generator)
    radius = 2 + 2 * torch.rand(n, 1, 1, generator=generator)
    is_disc = torch.rand(n, 1, 1, generator=generator) < 0.5
    ys, xs = torch.meshgrid(torch.arange(SIZE), torch.arange(SIZE), indexing="ij")
    dy, dx = ys - centre[:, 0], xs - centre[:, 1]
    disc = dy**2 + dx**2 <= radius**2
    square = (dy.abs() <= radius) & (dx.abs() <= radius)
    return torch.where(is_disc, disc, square).float().unsqueeze(1) * 2 - 1


def folder(root: Path) -> Tensor:
    """Every image under `root`, greyscale, resized to 16x16 (N x 1 x 16 x 16)."""
    from PIL import Image
    from torchvision.transforms.functional import pil_to_tensor

    if not root.is_dir():
        raise GantoolError(f"--images {root} is not a directory")
    files = sorted(p for p in root.rglob("*") if p.suffix.lower() in SUFFIXES)
    if not files:
        raise GantoolError(f"no images ({', '.join(sorted(SUFFIXES))}) under {root}")
    images = []
    for path in files:
        with Image.open(path) as image:
            small = image.convert("L").resize((SIZE, SIZE), Image.Resampling.BILINEAR)
            images.append(pil_to_tensor(small))
    return torch.stack(images).float() / 127.5 - 1
