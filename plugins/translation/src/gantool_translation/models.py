"""The networks of both tasks, built from their configs with the core's layers."""

from __future__ import annotations

import json
from dataclasses import replace

import torch
from kornia.color import lab_to_rgb, rgb_to_lab
from torch import Tensor, nn

from gantool.errors import GantoolError
from gantool.layers import PatchDiscriminator, ResnetGenerator, UNetGenerator
from gantool_translation.config import CycleGANConfig, Pix2PixConfig

CYCLEGAN_DOWNSAMPLINGS = 2
CHROMA_RANGE = 110.0
"""|a*|, |b*| the tanh output spans: sRGB colours stay within about +-110."""


def init_weights(network: nn.Module) -> nn.Module:
    """N(0, 0.02) convolutions and N(1, 0.02) norm scales, the init of both papers."""
    for module in network.modules():
        if isinstance(module, nn.Conv2d | nn.ConvTranspose2d):
            nn.init.normal_(module.weight, 0.0, 0.02)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, nn.BatchNorm2d) and module.affine:
            nn.init.normal_(module.weight, 1.0, 0.02)
            nn.init.zeros_(module.bias)
    return network


class LabColouriser(nn.Module):
    """Grey -> colour in CIE Lab: the input is the lightness, the network adds only a*, b*.

    An RGB generator has to rebuild the brightness of every pixel through its stride-2 levels,
    and at a short budget it does so worse than the grey input already has it; predicting the
    chroma alone (pix2pix's colourisation setup) leaves the network the part that is missing.
    Input and output are in [-1, 1] like the plain generator's, so losses and critic see RGB.
    """

    def __init__(self, chroma: nn.Module) -> None:
        super().__init__()
        self.chroma = chroma

    def forward(self, grey: Tensor) -> Tensor:
        grey01 = grey.add(1.0).div(2.0).clamp(0.0, 1.0)
        lightness = rgb_to_lab(grey01.expand(-1, 3, -1, -1))[:, :1]
        lab = torch.cat([lightness, CHROMA_RANGE * self.chroma(grey)], 1)
        return lab_to_rgb(lab).mul(2.0).sub(1.0)


def uses_lab(config: Pix2PixConfig, c_in: int, c_out: int) -> bool:
    colourising = (c_in, c_out) == (1, 3)
    if config.colour_space == "lab" and not colourising:
        raise GantoolError(f"--colour-space lab needs grey input and colour output, got {c_in} "
                           f"-> {c_out} channels; use --colour-space rgb")
    return config.colour_space == "lab" or (config.colour_space == "auto" and colourising)


def pix2pix_generator(config: Pix2PixConfig, c_in: int, c_out: int) -> nn.Module:
    if uses_lab(config, c_in, c_out):
        return LabColouriser(UNetGenerator(c_in, 2, config.ngf, config.depth,
                                           dropout=config.dropout, upsample=config.upsample))
    return UNetGenerator(c_in, c_out, config.ngf, config.depth, dropout=config.dropout,
                         upsample=config.upsample)


def trained_config(config: Pix2PixConfig, metadata: dict[str, str]) -> Pix2PixConfig:
    """The config as the model was trained: models exported before --colour-space predicted
    RGB, and their stored config lacks the key (training itself passes no stored config)."""
    if "config" in metadata and "colour_space" not in json.loads(metadata["config"]):
        return replace(config, colour_space="rgb")
    return config


def pix2pix_networks(config: Pix2PixConfig, metadata: dict[str, str]) -> dict[str, nn.Module]:
    """U-Net G and a PatchGAN D that sees the input beside the output (a conditional critic),
    for the channel counts the metadata holds: what training exports is what loading builds."""
    c_in, c_out = int(metadata["channels_in"]), int(metadata["channels_out"])
    generator = pix2pix_generator(trained_config(config, metadata), c_in, c_out)
    return {"G": init_weights(generator),
            "D": init_weights(PatchDiscriminator(c_in + c_out, config.ndf, config.d_layers))}


def cyclegan_networks(config: CycleGANConfig, metadata: dict[str, str]) -> dict[str, nn.Module]:
    """Two ResNet generators (G_AB: A -> B, G_BA: B -> A) and two PatchGAN critics (D_A judges
    domain A, D_B domain B), for the channel counts of each domain the metadata holds."""
    c_a, c_b = int(metadata["channels_a"]), int(metadata["channels_b"])
    networks = {
        "G_AB": ResnetGenerator(c_a, c_b, config.ngf, config.blocks, CYCLEGAN_DOWNSAMPLINGS,
                                upsample=config.upsample),
        "G_BA": ResnetGenerator(c_b, c_a, config.ngf, config.blocks, CYCLEGAN_DOWNSAMPLINGS,
                                upsample=config.upsample),
        "D_A": PatchDiscriminator(c_a, config.ndf, config.d_layers, norm="instance"),
        "D_B": PatchDiscriminator(c_b, config.ndf, config.d_layers, norm="instance"),
    }
    return {name: init_weights(net) for name, net in networks.items()}


def pix2pix_multiple(depth: int) -> int:
    return UNetGenerator.size_multiple(depth)


def cyclegan_multiple() -> int:
    return ResnetGenerator.size_multiple(CYCLEGAN_DOWNSAMPLINGS)
