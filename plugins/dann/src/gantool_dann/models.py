"""The three networks of DANN and the gradient-reversal layer that joins them.

Architecture after the MNIST network of Ganin et al. (2016): two conv-pool blocks (32 and 48
channels) give the features; the label classifier has two hidden layers of 100 units, the domain
classifier one. The paper's 5x5 unpadded convolutions take 28x28 digits to 4x4 feature maps
(`architecture="paper"`); the default pads 3x3 convolutions instead, so any side divisible by 4
works (16x16 or 28x28 inputs give 4x4 or 7x7 maps). Batch normalisation is optional: the paper
has none, public re-implementations add it.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING

import torch
from torch import Tensor, nn

from gantool.errors import GantoolError

if TYPE_CHECKING:
    from gantool_dann.config import DannConfig


class _ReverseGrad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x: Tensor, coefficient: float) -> Tensor:  # noqa: ANN001
        ctx.coefficient = coefficient
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad: Tensor) -> tuple[Tensor, None]:  # noqa: ANN001
        return -ctx.coefficient * grad, None


def reverse_gradient(x: Tensor, coefficient: float) -> Tensor:
    """Identity forward, gradient times -coefficient backward: one backward pass then trains
    the domain classifier to separate the domains and the features to confuse it."""
    return _ReverseGrad.apply(x, coefficient)


def adaptation_weight(progress: float, gamma: float = 10.0) -> float:
    """lambda_p = 2 / (1 + exp(-gamma p)) - 1: 0 at the start, when the domain classifier's
    signal is noise, rising to 1 as training progresses (p in [0, 1])."""
    return 2.0 / (1.0 + math.exp(-gamma * progress)) - 1.0


class Centre(nn.Module):
    """Subtracts a fixed mean pixel (of both training domains), so neither domain's brightness
    is the features' origin; stored with the weights as a buffer."""

    def __init__(self, mean: list[float]) -> None:
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean).view(1, -1, 1, 1))

    def forward(self, x: Tensor) -> Tensor:
        return x - self.mean


KERNELS = {"padded": (3, 1), "paper": (5, 0)}
"""Kernel side and padding of each architecture's convolutions."""


def conv_block(channels: int, out: int, architecture: str, batch_norm: bool) -> list[nn.Module]:
    kernel, padding = KERNELS[architecture]
    norm = [nn.BatchNorm2d(out)] if batch_norm else []
    return [nn.Conv2d(channels, out, kernel, padding=padding), *norm, nn.ReLU(), nn.MaxPool2d(2)]


def feature_extractor(channels: int, width: int, architecture: str = "padded",
                      batch_norm: bool = False, mean: list[float] | None = None,
                      first: int = 32, dropout: float = 0.0) -> nn.Sequential:
    """G_f: image -> flat feature vector (centred first when `mean` is given; channel-wise
    dropout on the last maps when `dropout` > 0)."""
    centre = [Centre(mean)] if mean is not None else []
    drop = [nn.Dropout2d(dropout)] if dropout else []
    return nn.Sequential(*centre, *conv_block(channels, first, architecture, batch_norm),
                         *conv_block(first, width, architecture, batch_norm), *drop,
                         nn.Flatten())


def feature_size(width: int, image_size: int, architecture: str = "padded") -> int:
    kernel, padding = KERNELS[architecture]
    side = image_size
    for _ in range(2):
        side = (side + 2 * padding - kernel + 1) // 2
    if side < 1:
        raise GantoolError(f"{image_size}x{image_size} images are too small for the "
                           f"{architecture} network; use --image-size 28 or larger")
    return width * side**2


def label_classifier(features: int, hidden: int, classes: int, dropout: float = 0.0
                     ) -> nn.Sequential:
    """G_y: features -> class logits (dropout after each hidden layer when `dropout` > 0)."""
    def drop() -> list[nn.Module]:
        return [nn.Dropout(dropout)] if dropout else []

    return nn.Sequential(
        nn.Linear(features, hidden), nn.ReLU(), *drop(),
        nn.Linear(hidden, hidden), nn.ReLU(), *drop(),
        nn.Linear(hidden, classes),
    )


def domain_classifier(features: int, hidden: int) -> nn.Sequential:
    """G_d: features -> logit of 'comes from the target domain'."""
    return nn.Sequential(nn.Linear(features, hidden), nn.ReLU(), nn.Linear(hidden, 1))


def classify(networks: dict[str, nn.Module], images: Tensor) -> Tensor:
    """Class logits: G_y(G_f(x))."""
    return networks["label"](networks["features"](images))


def build_networks(config: DannConfig, metadata: dict[str, str]) -> dict[str, nn.Module]:
    """The networks for the input format in `metadata` (classes, image_size, channels): what
    training builds and `gantool.models.load_model` rebuilds from exported weights."""
    size = feature_size(config.features, int(metadata["image_size"]), config.architecture)
    mean = json.loads(metadata["input_mean"]) if config.centre else None
    return {"features": feature_extractor(int(metadata["channels"]), config.features,
                                          config.architecture, config.batch_norm, mean,
                                          config.first, config.dropout),
            "label": label_classifier(size, config.hidden, len(json.loads(metadata["classes"])),
                                      config.dropout),
            "domain": domain_classifier(size, config.hidden)}
