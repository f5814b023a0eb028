"""The game of `example-dcgan`, built only from gantool's public API."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import Tensor, nn
from torch.utils.data import TensorDataset

from gantool.losses import get_objective
from gantool.metrics import mmd
from gantool.train import Game, Player, Stage
from gantool.train.standard import gan_losses
from gantool_example_dcgan.config import ExampleConfig
from gantool_example_dcgan.data import folder, shapes
from gantool_example_dcgan.models import build_networks

EVAL_SAMPLES = 256


def sample(net: nn.Module, n: int, z_dim: int, seed: int) -> Tensor:
    noise = torch.randn(n, z_dim, generator=torch.Generator().manual_seed(seed))
    return net(noise.to(next(net.parameters()).device)).cpu()


def build_game(config: ExampleConfig) -> Game:
    objective = get_objective(config.objective)
    real = folder(config.images) if config.images else shapes(config.shapes, config.seed)
    order = torch.randperm(len(real), generator=torch.Generator().manual_seed(config.seed))
    reference = real[order[:EVAL_SAMPLES]].flatten(1)

    critic_loss, generator_loss = gan_losses(objective, config.z_dim)

    def evaluate(nets: dict[str, nn.Module]) -> dict[str, float]:
        """Pixel-space MMD^2 between samples and real images (lower is better)."""
        fake = sample(nets["G"], EVAL_SAMPLES, config.z_dim, config.seed)
        return {"pixel_mmd": mmd(reference, fake.flatten(1))}

    def snapshot(nets: dict[str, nn.Module], path: Path) -> None:
        from torchvision.utils import save_image

        save_image(sample(nets["G"], 64, config.z_dim, config.seed), path, nrow=8,
                   normalize=True, value_range=(-1, 1))

    betas = (0.5, 0.999)
    return Game(
        networks=build_networks(config, {}),
        players=[Player("D", ["D"], critic_loss, lr=config.lr, betas=betas),
                 Player("G", ["G"], generator_loss, lr=config.lr, betas=betas)],
        stages=[Stage("adversarial", config.steps, ["D", "G"])],
        data=TensorDataset(real),
        evaluate=evaluate,
        snapshot=snapshot,
        export=["G"],
    )
