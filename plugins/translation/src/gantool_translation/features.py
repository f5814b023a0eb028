"""Feature extractors for the distribution metric (KID), following the core's protocol.

Inception-v3 needs weights that are not shipped; `RandomConvFeatures` works offline. A fixed,
randomly initialised convolutional network is a known stand-in embedding for two-sample tests
(its pooled responses are multi-scale colour and texture statistics): its numbers compare only
with each other, which is why every table names the extractor.
"""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from gantool.metrics import FeatureExtractor, InceptionFeatures

WIDTHS = (64, 128, 256, 512)
SIDE = 64


class RandomConvFeatures:
    """Mean-pooled ReLU responses of four stride-2 3x3 convs, weights drawn from seed 0.

    Inputs are brought to 64x64 RGB and standardised; each layer's pooled channels are kept,
    so the 960 features span fine to coarse scales.
    """

    name = "random-conv-960"

    def __init__(self) -> None:
        generator = torch.Generator().manual_seed(0)
        self.layers = []
        channels = 3
        for width in WIDTHS:
            conv = nn.Conv2d(channels, width, 3, 2, 1)
            with torch.no_grad():
                conv.weight.copy_(torch.randn(conv.weight.shape, generator=generator)
                                  * (2.0 / (9 * channels)) ** 0.5)
                conv.bias.zero_()
            self.layers.append(conv.requires_grad_(False))
            channels = width

    def __call__(self, images: Tensor) -> Tensor:
        x = images.float().expand(-1, 3, -1, -1)
        x = F.interpolate(x, size=(SIDE, SIDE), mode="bilinear", align_corners=False,
                          antialias=True)
        x = (x - 0.5) / 0.25
        pooled = []
        with torch.no_grad():
            for conv in self.layers:
                x = F.relu(conv(x))
                pooled.append(x.mean((2, 3)))
        return torch.cat(pooled, dim=1)


def get_extractor(name: str, inception_weights: Path | None = None) -> FeatureExtractor:
    if name == "inception":
        return InceptionFeatures(inception_weights)
    return RandomConvFeatures()
