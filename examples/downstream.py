"""gantool's core in your own code, without any plugin: declare a game, train it, score it.

The problem is tiny on purpose: learn a correlated 2-D Gaussian from samples. The generator and
critic are small MLPs; the score is the Fréchet distance (FID's formula, here on the raw 2-D
points) between generated and real samples, before and after training.

Run: uv run python examples/downstream.py [--steps N] [--out DIR]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import torch
from torch import Tensor, nn
from torch.utils.data import TensorDataset

from gantool.config import TrainerConfig
from gantool.losses import get_objective
from gantool.metrics import fid
from gantool.train import Game, Player, Stage, StepContext, Trainer
from gantool.train.trainer import seed_everything

MEAN = torch.tensor([2.0, -1.0])
COVARIANCE = torch.tensor([[1.0, 0.8], [0.8, 1.0]])
Z_DIM = 4


def real_points(n: int, seed: int) -> Tensor:
    """`n` draws from N(MEAN, COVARIANCE)."""
    noise = torch.randn(n, 2, generator=torch.Generator().manual_seed(seed))
    return MEAN + noise @ torch.linalg.cholesky(COVARIANCE).T


def mlp(inputs: int, outputs: int) -> nn.Sequential:
    return nn.Sequential(nn.Linear(inputs, 64), nn.LeakyReLU(0.2), nn.Linear(64, 64),
                         nn.LeakyReLU(0.2), nn.Linear(64, outputs))


def score(nets: dict[str, nn.Module]) -> dict[str, float]:
    """Fréchet distance between 2,000 generated and 2,000 fresh real points (0 is perfect)."""
    with torch.no_grad():
        fake = nets["G"](torch.randn(2000, Z_DIM, generator=torch.Generator().manual_seed(1)))
    return {"fid": fid(real_points(2000, seed=1), fake)}


def build_game(steps: int) -> Game:
    objective = get_objective("least-squares")

    def fakes(ctx: StepContext) -> Tensor:
        if "fake" not in ctx.cache:  # computed once per step, shared by both players
            ctx.cache["fake"] = ctx.networks["G"](ctx.noise(len(ctx.batch[0]), Z_DIM))
        return ctx.cache["fake"]

    def critic_loss(ctx: StepContext) -> Tensor:
        D = ctx.networks["D"]
        return objective.d_loss(D(ctx.batch[0]), D(fakes(ctx).detach()))

    def generator_loss(ctx: StepContext) -> Tensor:
        return objective.g_loss(ctx.networks["D"](fakes(ctx)))

    return Game(
        networks={"G": mlp(Z_DIM, 2), "D": mlp(2, 1)},
        players=[Player("D", ["D"], critic_loss, lr=1e-3), Player("G", ["G"], generator_loss,
                                                                 lr=1e-3)],
        stages=[Stage("adversarial", steps, ["D", "G"])],
        data=TensorDataset(real_points(10_000, seed=0)),
        evaluate=score,
        export=["G"],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--out", type=Path, help="run directory (default: a temporary one)")
    args = parser.parse_args()
    # One thread: networks this small only lose time synchronising more.
    config = TrainerConfig(seed=0, batch_size=128, device="cpu", threads=1, log_every=100,
                           checkpoint_every=0)
    seed_everything(config.seed)
    game = build_game(args.steps)
    before = score(game.networks)["fid"]
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp) / "run"
        started = time.perf_counter()
        after = Trainer(game, config, out, task="downstream", quiet=True).fit()["fid"]
        seconds = time.perf_counter() - started
    print(f"trained {args.steps} steps in {seconds:.1f} s")
    print(f"FID untrained {before:.4f} -> trained {after:.4f}")


if __name__ == "__main__":
    main()
