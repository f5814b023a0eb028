"""Training options of `example-dcgan`; no torch import, since `--help` reads them."""

from __future__ import annotations

from pathlib import Path

from gantool.config import TrainerConfig, config, objectives, option


@config(batch_size=32)
class ExampleConfig(TrainerConfig):
    steps: int = option(500, "training steps", resumable=True, min=1)
    images: Path | None = option(None, "folder of images to learn (default: synthetic shapes)")
    shapes: int = option(2048, "how many synthetic shapes to draw when no folder is given",
                         min=1)
    objective: str = option("non-saturating", "adversarial objective (any registered name)",
                            choices=objectives)
    z_dim: int = option(16, "noise dimension", min=1)
    width: int = option(16, "channels of the first critic layer", min=1)
    lr: float = option(2e-4, "Adam learning rate of both players", above=0)
