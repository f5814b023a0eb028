"""Training options of `example-dcgan`; no torch import, since `--help` reads them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gantool.config import TrainerConfig, option


@dataclass(kw_only=True)
class ExampleConfig(TrainerConfig):
    steps: int = option(500, "training steps")
    batch_size: int = option(32, "global batch size")
    images: Path | None = option(None, "folder of images to learn (default: synthetic shapes)")
    shapes: int = option(2048, "how many synthetic shapes to draw when no folder is given")
    objective: str = option("non-saturating", "adversarial objective (any registered name)")
    z_dim: int = option(16, "noise dimension")
    width: int = option(16, "channels of the first critic layer")
    lr: float = option(2e-4, "Adam learning rate of both players")
