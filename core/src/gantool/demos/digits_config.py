"""Options of the DCGAN-on-digits demo (no torch import: `--help` reads these)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from gantool.config import TrainerConfig, option
from gantool.demos.gaussians_config import Objective


@dataclass(kw_only=True)
class DigitsConfig(TrainerConfig):
    steps: int = option(3000, "training steps", resumable=True)
    batch_size: int = option(64, "global batch size")
    image_size: Literal[16, 32] = option(16, "side the 8x8 digits are upsampled to")
    split_seed: int = option(
        0, "seed of the stratified 1,297/500 train/held-out split and of the feature classifier")
    objective: Objective = option("non-saturating", "adversarial objective")
    z_dim: int = option(32, "noise dimension")
    width: int = option(32, "channels of the critic's first and the generator's last layer")
    lr_d: float = option(2e-4, "critic learning rate")
    lr_g: float = option(2e-4, "generator learning rate")
    beta1: float = option(0.5, "Adam beta1 (DCGAN's 0.5)")


@dataclass(kw_only=True)
class DigitsEval:
    weights: Path = option(help="model.safetensors written by `gantool train digits`")
    seed: int = option(0, "sampling seed")
