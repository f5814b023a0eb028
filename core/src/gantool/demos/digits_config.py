"""Options of the DCGAN-on-digits demo (no torch import: `--help` reads these)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from gantool.config import TrainerConfig, config, objectives, option


@config(gpu={"batch_size": 256})  # one GPU step costs about the same at 64 and 256
class DigitsConfig(TrainerConfig):
    steps: int = option(3000, "training steps", resumable=True, min=1)
    image_size: Literal[16, 32] = option(16, "side the 8x8 digits are upsampled to",
                                         architecture=True)
    split_seed: int = option(
        0, "seed of the stratified 1,297/500 train/held-out split and of the feature classifier")
    objective: str = option("non-saturating", "adversarial objective", choices=objectives)
    z_dim: int = option(32, "noise dimension", min=1, architecture=True)
    width: int = option(32, "channels of the critic's first and the generator's last layer",
                        min=1, architecture=True)
    lr_d: float = option(2e-4, "critic learning rate", above=0)
    lr_g: float = option(2e-4, "generator learning rate", above=0)
    beta1: float = option(0.5, "Adam beta1 (DCGAN's 0.5)", min=0, max=0.9999)


@dataclass(kw_only=True)
class DigitsEval:
    weights: Path = option(help="model.safetensors written by `gantool train digits`")
    seed: int = option(0, "sampling seed")
