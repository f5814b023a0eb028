"""Options of `example-dcgan`'s training and run; no torch import, since `--help` reads them."""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(kw_only=True)
class ExampleRun:
    weights: Path = option(help="model.safetensors written by `gantool train example-dcgan`")
    num: int = option(64, "samples to draw, 8 to a row", min=1)
    seed: int = option(0, "sampling seed", min=0)
    output: Path | None = option(None, "PNG file, or a folder to put samples.png in (default: "
                                       "samples.png beside --weights)")
    overwrite: bool = option(False, "replace an output file that already exists (never the "
                                    "weights)")
