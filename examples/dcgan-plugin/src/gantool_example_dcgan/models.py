"""The networks of `example-dcgan`: a DCGAN at 16x16."""

from __future__ import annotations

from torch import nn

from gantool_example_dcgan.config import ExampleConfig


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


def build_networks(config: ExampleConfig, metadata: dict[str, str]) -> dict[str, nn.Module]:
    """The networks, from the config (training) or the config stored with the weights."""
    return {"G": generator(config.z_dim, config.width), "D": critic(config.width)}
