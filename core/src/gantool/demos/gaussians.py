"""The 8-Gaussians ring (Metz et al. 2017): does a GAN cover every mode?

Real data: 8 Gaussians on a circle of radius 2 (std 0.05 by default; Metz et al. used 0.02,
which needs a longer budget than a CPU demo should). A generated point is of high
quality when it lies within 3 std of its nearest mode; a mode counts as covered when at least
1% of the samples are high-quality points of that mode.
"""

from __future__ import annotations

import math
from pathlib import Path

import torch
from torch import Tensor, nn
from torch.utils.data import TensorDataset

from gantool.demos.gaussians_config import GaussiansConfig, GaussiansEval
from gantool.losses import get_objective
from gantool.models import load_model
from gantool.regularizers import (
    dragan_penalty,
    gradient_penalty,
    r1_penalty,
    spectral_norm,
    unrolled,
)
from gantool.report import Table
from gantool.train import Game, Player, Stage, StepContext
from gantool.train.standard import generated

MODES = 8
COVERAGE_FRACTION = 0.01


def mode_centres(radius: float) -> Tensor:
    angles = torch.arange(MODES) * (2 * math.pi / MODES)
    return radius * torch.stack([angles.cos(), angles.sin()], dim=1)


def sample_ring(n: int, radius: float, std: float, generator: torch.Generator) -> Tensor:
    centres = mode_centres(radius)
    which = torch.randint(MODES, (n,), generator=generator)
    return centres[which] + std * torch.randn(n, 2, generator=generator)


def ring_scores(points: Tensor, radius: float, std: float) -> dict[str, float]:
    """Modes covered (of 8) and the percentage of high-quality samples."""
    distances = torch.cdist(points.float(), mode_centres(radius))
    nearest, which = distances.min(dim=1)
    good = nearest <= 3 * std
    counts = torch.bincount(which[good], minlength=MODES)
    covered = int((counts >= COVERAGE_FRACTION * len(points)).sum())
    return {"modes": float(covered), "high_quality_pct": 100.0 * good.float().mean().item()}


def mlp(inputs: int, hidden: int, outputs: int, layers: int) -> nn.Sequential:
    dims = [inputs] + [hidden] * layers
    body: list[nn.Module] = []
    for a, b in zip(dims[:-1], dims[1:], strict=True):
        body += [nn.Linear(a, b), nn.ReLU()]
    return nn.Sequential(*body, nn.Linear(dims[-1], outputs))


def build_networks(config: GaussiansConfig, metadata: dict[str, str]) -> dict[str, nn.Module]:
    critic = mlp(2, config.hidden, 1, layers=3)
    if config.spectral_norm:
        spectral_norm(critic)
    return {"G": mlp(config.z_dim, config.hidden, 2, layers=3), "D": critic}


def generate(generator: nn.Module, n: int, z_dim: int, seed: int) -> Tensor:
    noise = torch.randn(n, z_dim, generator=torch.Generator().manual_seed(seed))
    return generator(noise.to(next(generator.parameters()).device)).cpu()


def scatter(points: Tensor, config: GaussiansConfig, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(3.2, 3.2))
    centres = mode_centres(config.radius)
    ax.scatter(points[:, 0], points[:, 1], s=2, alpha=0.4, label="generated")
    ax.scatter(centres[:, 0], centres[:, 1], s=30, c="red", marker="x", label="modes")
    limit = config.radius * 1.6
    ax.set(xlim=(-limit, limit), ylim=(-limit, limit), aspect="equal")
    ax.set_title(", ".join(f"{k} {v:.3g}" for k, v in
                           ring_scores(points, config.radius, config.std).items()), fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def smoke(folder: Path) -> dict[str, object]:
    """A few steps of small networks: the fake-GPU test and the GPU smoke run."""
    return {"steps": 4, "batch_size": 32, "hidden": 16, "z_dim": 4, "penalty": "gp"}


def build_game(config: GaussiansConfig) -> Game:
    objective = get_objective(config.objective)
    nets = build_networks(config, {})
    data = sample_ring(50_000, config.radius, config.std,
                       torch.Generator().manual_seed(config.seed))
    penalties = {"gp": lambda D, real, fake: gradient_penalty(D, real, fake),
                 "dragan": lambda D, real, fake: dragan_penalty(D, real),
                 "r1": lambda D, real, fake: r1_penalty(D, real)}

    def critic_loss(ctx: StepContext) -> tuple[Tensor, dict]:
        D, real = ctx.networks["D"], ctx.batch[0]
        fake = generated(ctx, config.z_dim).detach()
        loss = objective.d_loss(D(real), D(fake))
        logs = {}
        if config.penalty != "none":
            penalty = penalties[config.penalty](D, real, fake)
            loss = loss + config.penalty_weight * penalty
            logs["penalty"] = penalty
        return loss, logs

    def generator_loss(ctx: StepContext) -> Tensor:
        D, real = ctx.networks["D"], ctx.batch[0]
        fake = generated(ctx, config.z_dim)
        if config.unrolled_steps:
            D = unrolled(D, lambda f: objective.d_loss(f(real), f(fake.detach())),
                         config.unrolled_steps, config.unrolled_lr)
        return objective.g_loss(D(fake), D(real))

    betas = (config.beta1, 0.999)
    return Game(
        networks=nets,
        players=[
            Player("D", ["D"], critic_loss, lr=config.lr_d, betas=betas),
            Player("G", ["G"], generator_loss, lr=config.lr_g, betas=betas,
                   every=config.n_critic),
        ],
        stages=[Stage("adversarial", config.steps, ["D", "G"])],
        data=TensorDataset(data),
        evaluate=lambda n: ring_scores(generate(n["G"], 2500, config.z_dim, config.seed),
                                       config.radius, config.std),
        snapshot=lambda n, path: scatter(
            generate(n["G"], 2500, config.z_dim, config.seed), config, path),
        ema=["G"],
        export=["G"],
    )


def evaluate(options: GaussiansEval) -> list[Table]:
    model = load_model(options.weights, "gaussians")
    config = model.config
    with torch.no_grad():
        points = generate(model["G"], options.samples, config.z_dim, options.seed)
    scores = ring_scores(points, config.radius, config.std)
    return [Table(f"8 Gaussians: {options.weights}", ["modes covered (of 8)", "high quality %"],
                  [[int(scores["modes"]), round(scores["high_quality_pct"], 1)]])]
