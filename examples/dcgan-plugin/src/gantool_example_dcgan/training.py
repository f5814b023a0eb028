"""`example-dcgan`: a DCGAN at 16x16 built only from gantool's public API."""

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

EVAL_SAMPLES = 256


def generator(z_dim: int, width: int) -> nn.Sequential:
    """z -> 4x4 -> 8x8 -> 16x16 with transposed convs, batch norm and a tanh output."""
    return nn.Sequential(
        nn.Unflatten(1, (z_dim, 1, 1)),
        nn.ConvTranspose2d(z_dim, 2 * width, 4, 1, 0), nn.BatchNorm2d(2 * width), nn.ReLU(),
        nn.ConvTranspose2d(2 * width, width, 4, 2, 1), nn.BatchNorm2d(width), nn.ReLU(),
        nn.ConvTranspose2d(width, 1, 4, 2, 1), nn.Tanh(),
    )


def critic(width: int) -> nn.Sequential:
    """16x16 -> 8x8 -> 4x4 with strided convs and leaky ReLU, then one logit."""
    return nn.Sequential(
        nn.Conv2d(1, width, 4, 2, 1), nn.LeakyReLU(0.2),
        nn.Conv2d(width, 2 * width, 4, 2, 1), nn.LeakyReLU(0.2),
        nn.Conv2d(2 * width, 1, 4, 1, 0), nn.Flatten(),
    )


def sample(net: nn.Module, n: int, z_dim: int, seed: int) -> Tensor:
    noise = torch.randn(n, z_dim, generator=torch.Generator().manual_seed(seed))
    return net(noise.to(next(net.parameters()).device)).cpu()


def build_networks(config: ExampleConfig, metadata: dict[str, str]) -> dict[str, nn.Module]:
    """The networks, from the config (training) or the config stored with the weights."""
    return {"G": generator(config.z_dim, config.width), "D": critic(config.width)}


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
