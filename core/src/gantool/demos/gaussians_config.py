"""Options of the 8-Gaussians demo (no torch import: `--help` reads these)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from gantool.config import TrainerConfig, config, objectives, option


@config(batch_size=256, threads=1)  # tiny networks: more threads only add overhead
class GaussiansConfig(TrainerConfig):
    steps: int = option(3000, "training steps", resumable=True, min=1)
    objective: str = option("non-saturating", "adversarial objective", choices=objectives)
    penalty: Literal["none", "gp", "dragan", "r1"] = option("none", "critic gradient penalty")
    penalty_weight: float = option(10.0, "weight of the gradient penalty", min=0)
    spectral_norm: bool = option(False, "spectral normalisation on the critic")
    unrolled_steps: int = option(0, "unrolled critic steps for the generator (0 = off)", min=0)
    unrolled_lr: float = option(0.05, "SGD step size inside the unrolled critic", above=0)
    n_critic: int = option(1, "critic updates per generator update", min=1)
    lr_d: float = option(1e-3, "critic learning rate", above=0)
    lr_g: float = option(1e-3, "generator learning rate", above=0)
    beta1: float = option(0.5, "Adam beta1 (0 is usual for WGAN-GP)", min=0, max=0.9999)
    hidden: int = option(128, "hidden units per layer", min=1, architecture=True)
    z_dim: int = option(16, "noise dimension", min=1, architecture=True)
    radius: float = option(2.0, "ring radius", above=0)
    std: float = option(0.05, "standard deviation of each mode (Metz et al. used 0.02)",
                        above=0)


@dataclass(kw_only=True)
class GaussiansEval:
    weights: Path = option(help="model.safetensors written by `gantool train gaussians`")
    samples: int = option(2500, "generated points to score", min=1)
    seed: int = option(0, "sampling seed")
