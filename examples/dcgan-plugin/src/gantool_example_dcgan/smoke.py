"""A few-second run of `example-dcgan` (synthetic shapes, small networks): what the core's
stand-in GPU test and the GPU smoke run train."""

from __future__ import annotations

from pathlib import Path


def smoke(folder: Path) -> dict[str, object]:
    return {"steps": 3, "batch_size": 8, "shapes": 32, "width": 8, "z_dim": 8}
