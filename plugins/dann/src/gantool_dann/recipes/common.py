"""What every recipe shares: the digits split, atomic output folders, writing PNGs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image


def write_split(root: Path, images: np.ndarray, labels: np.ndarray, names: list[str]) -> None:
    """images: N x H x W (grey) or N x H x W x 3 floats in [0, 1] -> root/<label>/<name>.png."""
    for image, label, name in zip(images, labels, names, strict=True):
        folder = root / str(label)
        folder.mkdir(parents=True, exist_ok=True)
        Image.fromarray(np.rint(np.clip(image, 0, 1) * 255).astype(np.uint8)).save(
            folder / f"{name}.png")


def write_info(root: Path, info: dict[str, Any]) -> None:
    (root / "info.json").write_text(json.dumps(info, indent=2))
