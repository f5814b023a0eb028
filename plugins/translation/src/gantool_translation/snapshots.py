"""Sample grids written during training: one row per image, one column per stage of it."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import Tensor
from torchvision.utils import save_image as save_grid

from gantool.files import atomic_path

SHOWN = 8


def write_grid(columns: list[Tensor], path: Path) -> None:
    """Columns of N x C x H x W images in [0, 1] (grey made RGB) as one PNG, SHOWN rows."""
    rows = [torch.stack([c[i].expand(3, -1, -1) for c in columns])
            for i in range(min(SHOWN, len(columns[0])))]
    with atomic_path(path) as tmp:
        save_grid(torch.cat(rows), tmp, nrow=len(columns), padding=2, format="png")
