"""What a generator is made of, without torch: enough to rebuild it, tile for it and check a
weights file before anything heavy is imported."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import get_args

from gantool.errors import GantoolError
from gantool_superres.config import Upsampler

UPSAMPLERS = get_args(Upsampler)


def _stages(scale: int) -> int:
    stages = int(math.log2(scale)) if scale > 1 else 0
    if 2**stages != scale or stages == 0:
        raise ValueError(f"scale must be 2, 4 or 8, got {scale}")
    return stages


@dataclass(frozen=True)
class Architecture:
    """What is needed to rebuild a generator from exported weights."""

    scale: int = 4
    blocks: int = 8
    channels: int = 48
    residual: bool = True
    upsampler: str = "progressive"  # the default of weights exported before "single" existed

    def __post_init__(self) -> None:
        if self.upsampler not in UPSAMPLERS:
            raise ValueError(f"upsampler must be one of {', '.join(UPSAMPLERS)}")
        _stages(self.scale)

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def stages(self) -> int:
        """The number of x2 stages of the progressive tail."""
        return _stages(self.scale)

    def receptive_radius(self) -> int:
        """Input pixels each side that influence one output pixel (the tiling overlap)."""
        if self.upsampler == "single":
            return 4 + 2 * self.blocks + 2  # head, blocks, body conv, tail conv
        radius = (4 + 2 * self.blocks + 1 + sum(0.5**i for i in range(self.stages))
                  + 1 / self.scale)
        return math.ceil(radius)  # the bicubic branch (2 pixels) lies inside it


def read_architecture(metadata: dict[str, str], path: Path, scale: int | None) -> Architecture:
    """The architecture recorded in a weights file's metadata, refusing another scale."""
    try:
        arch = Architecture(**json.loads(metadata["architecture"]))
    except (KeyError, TypeError, ValueError):
        raise GantoolError(f"{path} has no valid super-resolution architecture metadata") \
            from None
    if scale is not None and arch.scale != scale:
        raise GantoolError(f"{path} upscales x{arch.scale}, not x{scale}; pass --scale "
                           f"{arch.scale} or weights trained for x{scale}")
    return arch
