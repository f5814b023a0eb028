"""The segmentor, the critic and the multi-scale L1 loss of SegAN (Xue et al. 2018).

Segmentor: the pix2pix U-Net of `gantool.layers` (4x4 stride-2 convolutions, skip connections,
as SegAN's segmentor) with its tanh replaced by logits: one channel and a sigmoid for binary
masks, K channels and a softmax for K classes. Inputs are padded to the multiple of
2^depth it needs and the output cropped back, so any image size works.

Critic: the segmentor's encoder shape (conv 4x4 stride 2, LeakyReLU) applied to the image
multiplied by a mask, one product per foreground class. Its hierarchical features (the masked
image itself and every layer's output) are compared between image * predicted mask and image *
true mask: the multi-scale L1 loss, the mean over levels of the mean absolute difference.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from gantool.layers import Norm, UNetGenerator

if TYPE_CHECKING:
    from gantool_segan.config import SeganConfig


class Segmentor(nn.Module):
    def __init__(self, channels: int, classes: int, base: int = 16, depth: int = 4) -> None:
        super().__init__()
        self.classes = classes
        self.multiple = UNetGenerator.size_multiple(depth)
        self.unet = UNetGenerator(channels, 1 if classes == 2 else classes, base=base,
                                  depth=depth, dropout=False, norm="batch")
        self.unet.up[0][-1] = nn.Identity()  # logits, not pix2pix's tanh image

    def forward(self, x: Tensor) -> Tensor:
        height, width = x.shape[-2:]
        pad_h, pad_w = -height % self.multiple, -width % self.multiple
        if pad_h or pad_w:
            x = F.pad(x, (0, pad_w, 0, pad_h), mode="replicate")
        return self.unet(x)[..., :height, :width]


def foreground(logits: Tensor, classes: int) -> Tensor:
    """N x (K-1) x H x W probability of each foreground class."""
    if classes == 2:
        return torch.sigmoid(logits)
    return logits.softmax(1)[:, 1:]


def one_hot_foreground(labels: Tensor, classes: int) -> Tensor:
    """N x H x W labels -> N x (K-1) x H x W float indicator of each foreground class."""
    return F.one_hot(labels, classes).permute(0, 3, 1, 2)[:, 1:].float()


def predict_labels(logits: Tensor, classes: int, threshold: float = 0.5) -> Tensor:
    """N x H x W class indices: sigmoid above `threshold` (binary) or the arg-max."""
    if classes == 2:
        return (torch.sigmoid(logits[:, 0]) > threshold).long()
    return logits.argmax(1)


def masked(images: Tensor, maps: Tensor) -> Tensor:
    """The critic's input: image * map for every foreground map, stacked as channels."""
    return (images[:, None] * maps[:, :, None]).flatten(1, 2)


class Critic(nn.Module):
    """Hierarchical features of a masked image: [input, layer 1, ..., layer `depth`]."""

    def __init__(self, in_channels: int, base: int = 16, depth: int = 3,
                 norm: Norm = "batch") -> None:
        super().__init__()
        layers = []
        previous = in_channels
        for i in range(depth):
            out = base * min(2**i, 8)
            block: list[nn.Module] = [nn.Conv2d(previous, out, 4, 2, 1,
                                                bias=i == 0 or norm != "batch")]
            if i > 0 and norm == "batch":
                block.append(nn.BatchNorm2d(out))
            block.append(nn.LeakyReLU(0.2))
            layers.append(nn.Sequential(*block))
            previous = out
        self.layers = nn.ModuleList(layers)

    def forward(self, x: Tensor) -> list[Tensor]:
        features = [x]
        for layer in self.layers:
            features.append(layer(features[-1]))
        return features


def multiscale_l1(a: list[Tensor], b: list[Tensor]) -> Tensor:
    """Per-sample mean over levels of the mean |a_i - b_i| (the paper's l_mae)."""
    per_level = [(x - y).abs().flatten(1).mean(1) for x, y in zip(a, b, strict=True)]
    return torch.stack(per_level).mean(0)


def build_networks(config: SeganConfig, metadata: dict[str, str]) -> dict[str, nn.Module]:
    """Segmentor and critic for the `classes` and `channels` in `metadata`: what training
    builds and `gantool.models.load_model` rebuilds (exported weights hold S only). Without
    batch norm for the gradient penalty, which is computed per sample."""
    channels, classes = int(metadata["channels"]), int(metadata["classes"])
    norm: Norm = "batch" if config.stabiliser == "clip" else "none"
    return {"S": Segmentor(channels, classes, config.base, config.depth),
            "C": Critic(channels * (classes - 1), config.critic_base, config.critic_depth, norm)}
