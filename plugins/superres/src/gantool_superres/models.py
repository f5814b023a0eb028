"""The networks of SRGAN (Ledig et al. 2017), sized for a CPU.

The generator is SRResNet without batch norm (as in EDSR, Lim et al. 2017: better and cheaper
at inference), optionally predicting only the detail on top of a bicubic upscale so that a short
CPU training starts from bicubic quality instead of from grey. The discriminator keeps SRGAN's
layout (strided 3x3 convs doubling width) but uses spectral normalisation instead of batch norm
and global pooling instead of a fixed-size dense layer, so it accepts any patch size.
"""

from __future__ import annotations

import json
from dataclasses import replace

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from gantool_superres.architecture import Architecture
from gantool_superres.config import SuperResConfig
from gantool_superres.subpixel_bicubic import PAD, bicubic_kernels


class BicubicUpsample(nn.Module):
    """`F.interpolate(mode="bicubic")` by an integer factor as a fixed depthwise convolution
    and a PixelShuffle (`subpixel_bicubic`): the same result, and fast on every runtime, where
    ONNX Runtime's bicubic Resize took 290 ms for a 1024x1024 output on two AVX2 cores."""

    def __init__(self, scale: int) -> None:
        super().__init__()
        self.register_buffer("weight", torch.from_numpy(bicubic_kernels(scale)),
                             persistent=False)
        self.scale = scale

    def forward(self, x: Tensor) -> Tensor:
        padded = F.pad(x, (PAD,) * 4, mode="replicate")
        return F.pixel_shuffle(F.conv2d(padded, self.weight, groups=3), self.scale)


class ResidualBlock(nn.Module):
    def __init__(self, channels: int) -> None:
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(channels, channels, 3, padding=1), nn.PReLU(channels),
            nn.Conv2d(channels, channels, 3, padding=1),
        )

    def forward(self, x: Tensor) -> Tensor:
        return x + self.body(x)


class SRResNet(nn.Module):
    """Residual blocks at low resolution, then sub-pixel (PixelShuffle) upsampling.

    "progressive" is SRGAN's tail: x2 stages of conv, shuffle, PReLU, then a conv at full size.
    "single" is the efficient-SR tail (ESPCN, IMDN): one conv to 3*scale^2 channels and one
    shuffle, all at low resolution. The progressive tail's convolution at twice the input size
    alone costs as much as eight residual blocks, so "single" buys a deeper, wider body.
    """

    def __init__(self, arch: Architecture) -> None:
        super().__init__()
        c = arch.channels
        self.arch = arch
        self.head = nn.Sequential(nn.Conv2d(3, c, 9, padding=4), nn.PReLU(c))
        self.body = nn.Sequential(*[ResidualBlock(c) for _ in range(arch.blocks)],
                                  nn.Conv2d(c, c, 3, padding=1))
        if arch.upsampler == "single":
            self.upsample: nn.Module = nn.Identity()
            self.tail = nn.Conv2d(c, 3 * arch.scale**2, 3, padding=1)
            self.shuffle: nn.Module = nn.PixelShuffle(arch.scale)
        else:
            self.upsample = nn.Sequential(*[
                layer for _ in range(arch.stages)
                for layer in (nn.Conv2d(c, 4 * c, 3, padding=1), nn.PixelShuffle(2), nn.PReLU(c))
            ])
            self.tail = nn.Conv2d(c, 3, 3, padding=1)  # SRResNet's 9x9 here: 9x the cost
            self.shuffle = nn.Identity()
        if arch.residual:  # start at the bicubic upscale: the detail branch begins near zero
            self.bicubic = BicubicUpsample(arch.scale)
            nn.init.zeros_(self.tail.bias)
            self.tail.weight.data.mul_(0.1)

    def forward(self, x: Tensor) -> Tensor:
        features = self.head(x - 0.5)
        out = self.shuffle(self.tail(self.upsample(features + self.body(features))))
        return out + self.bicubic(x) if self.arch.residual else out + 0.5


def deepen(generator: SRResNet, blocks: int) -> SRResNet:
    """A copy with `blocks` residual blocks that computes the same function.

    The added blocks follow the trained ones and start as identities (their last convolution is
    zero), so a deeper network fine-tunes from the trained one's quality instead of from scratch.
    """
    old = generator.arch.blocks
    if blocks < old:
        raise ValueError(f"cannot deepen {old} blocks to {blocks}")
    deeper = SRResNet(replace(generator.arch, blocks=blocks))
    for block in list(deeper.body)[old:blocks]:
        nn.init.zeros_(block.body[2].weight)
        nn.init.zeros_(block.body[2].bias)
    body_conv = f"body.{old}."
    state = deeper.state_dict()
    state.update({f"body.{blocks}.{k.removeprefix(body_conv)}" if k.startswith(body_conv) else k: v
                  for k, v in generator.state_dict().items()})
    deeper.load_state_dict(state)
    return deeper


class Discriminator(nn.Module):
    """SRGAN's critic: 3x3 convs, every other one strided, widths c, 2c, 4c, 8c."""

    def __init__(self, channels: int = 32) -> None:
        super().__init__()
        c = channels
        plan = [(3, c, 1), (c, c, 2), (c, 2 * c, 1), (2 * c, 2 * c, 2), (2 * c, 4 * c, 1),
                (4 * c, 4 * c, 2), (4 * c, 8 * c, 1), (8 * c, 8 * c, 2)]
        self.features = nn.ModuleList(
            nn.Sequential(nn.Conv2d(i, o, 3, stride=s, padding=1), nn.LeakyReLU(0.2))
            for i, o, s in plan
        )
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8 * c, 16 * c),
                                  nn.LeakyReLU(0.2), nn.Linear(16 * c, 1))

    def forward_features(self, x: Tensor) -> tuple[Tensor, list[Tensor]]:
        """Logits and the activations after every strided layer (for feature matching)."""
        h, taps = x - 0.5, []
        for i, layer in enumerate(self.features):
            h = layer(h)
            if i % 2 == 1:
                taps.append(h)
        return self.head(h), taps

    def forward(self, x: Tensor) -> Tensor:
        return self.forward_features(x)[0]


def build_networks(config: SuperResConfig, metadata: dict[str, str]) -> dict[str, nn.Module]:
    """The generator of the metadata's architecture (so weights exported before an option
    existed rebuild as they were trained) and, for an adversarial stage, the critic."""
    networks: dict[str, nn.Module] = {
        "G": SRResNet(Architecture(**json.loads(metadata["architecture"])))}
    if config.adversarial_steps > 0:
        from gantool.regularizers import spectral_norm  # torch.func etc.: not for `run`

        critic = Discriminator(config.d_channels)
        networks["D"] = spectral_norm(critic) if config.spectral_norm else critic
    return networks
