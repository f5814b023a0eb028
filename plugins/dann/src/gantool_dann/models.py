"""The three networks of DANN and the gradient-reversal layer that joins them.

Architecture after the MNIST network of Ganin et al. (2016): two conv-pool blocks (32 and 48
channels) give the features; the label classifier has two hidden layers of 100 units, the domain
classifier one. No batch normalisation, as in the paper: with it DANN gained nothing on digits.
Convolutions are padded 3x3 rather than 5x5 valid, so any side divisible by 4 works: 16x16 or
28x28 inputs give 4x4 or 7x7 feature maps.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING

import torch
from torch import Tensor, nn

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


def feature_extractor(channels: int, width: int) -> nn.Sequential:
    """G_f: image -> flat feature vector."""
    return nn.Sequential(
        nn.Conv2d(channels, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, width, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
    )


def feature_size(width: int, image_size: int) -> int:
    return width * (image_size // 4) ** 2


def label_classifier(features: int, hidden: int, classes: int) -> nn.Sequential:
    """G_y: features -> class logits."""
    return nn.Sequential(
        nn.Linear(features, hidden), nn.ReLU(),
        nn.Linear(hidden, hidden), nn.ReLU(),
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
    size = feature_size(config.features, int(metadata["image_size"]))
    return {"features": feature_extractor(int(metadata["channels"]), config.features),
            "label": label_classifier(size, config.hidden, len(json.loads(metadata["classes"]))),
            "domain": domain_classifier(size, config.hidden)}
