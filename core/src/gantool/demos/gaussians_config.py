"""Options of the 8-Gaussians demo (no torch import: `--help` reads these)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from gantool.config import TrainerConfig, option

Objective = Literal["minimax", "non-saturating", "least-squares", "wasserstein", "hinge",
                    "relativistic-average"]


@dataclass(kw_only=True)
class GaussiansConfig(TrainerConfig):
    steps: int = option(3000, "training steps", resumable=True)
    batch_size: int = option(256, "global batch size")
    threads: int = option(1, "torch CPU threads (tiny networks: more threads only add overhead)")
    objective: Objective = option("non-saturating", "adversarial objective")
    penalty: Literal["none", "gp", "dragan", "r1"] = option("none", "critic gradient penalty")
    penalty_weight: float = option(10.0, "weight of the gradient penalty")
    spectral_norm: bool = option(False, "spectral normalisation on the critic")
    unrolled_steps: int = option(0, "unrolled critic steps for the generator (0 = off)")
    unrolled_lr: float = option(0.05, "SGD step size inside the unrolled critic")
    n_critic: int = option(1, "critic updates per generator update")
    lr_d: float = option(1e-3, "critic learning rate")
    lr_g: float = option(1e-3, "generator learning rate")
    beta1: float = option(0.5, "Adam beta1 (0 is usual for WGAN-GP)")
    hidden: int = option(128, "hidden units per layer")
    z_dim: int = option(16, "noise dimension")
    radius: float = option(2.0, "ring radius")
    std: float = option(0.05, "standard deviation of each mode (Metz et al. used 0.02)")


@dataclass(kw_only=True)
class GaussiansEval:
    weights: Path = option(help="model.safetensors written by `gantool train gaussians`")
    samples: int = option(2500, "generated points to score")
    seed: int = option(0, "sampling seed")
