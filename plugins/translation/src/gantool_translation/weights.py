"""Loading exported translation models (shipped or trained) with the format they expect."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from torch import nn

from gantool.checkpoint import config_from_metadata, load_weights
from gantool.config import build
from gantool.errors import GantoolError
from gantool.metadata import split_networks
from gantool_translation.config import CycleGANConfig, Pix2PixConfig
from gantool_translation.models import cyclegan_generators, pix2pix_generator

WEIGHTS_DIR = Path(__file__).parent / "weights"
SHIPPED = {"pix2pix": WEIGHTS_DIR / "pix2pix_grey2colour.safetensors",
           "cyclegan": WEIGHTS_DIR / "cyclegan_dark2bright.safetensors"}


@dataclass
class Translator:
    """One direction of a model: its generator and the channels it takes and makes."""

    generator: nn.Module
    channels_in: int
    channels_out: int


@dataclass
class Model:
    directions: dict[str, Translator]
    multiple: int
    config: Any
    path: Path

    def translator(self, direction: str) -> Translator:
        if direction not in self.directions:
            raise GantoolError(f"{self.path} translates {', '.join(self.directions)} only, not "
                               f"{direction}; pass --direction {next(iter(self.directions))}")
        return self.directions[direction]


def resolve(task: str, weights: Path | None) -> Path:
    """The given weights, else the task's shipped model."""
    return weights if weights is not None else SHIPPED[task]


def _load_state(network: nn.Module, state: dict | None, path: Path) -> nn.Module:
    try:
        network.load_state_dict(state or {})
    except RuntimeError:
        raise GantoolError(f"{path} does not hold the generator its metadata describes; "
                           "re-export it by training again") from None
    return network.eval().requires_grad_(False)


def load_model(task: str, weights: Path | None) -> Model:
    """The generator(s) of a `pix2pix` or `cyclegan` model file, in eval mode."""
    path = resolve(task, weights)
    tensors, metadata = load_weights(path, task=task)
    states = split_networks(tensors, "networks")
    try:
        multiple = int(metadata["multiple"])
        if task == "pix2pix":
            # Models exported before --colour-space predicted RGB.
            config = build(Pix2PixConfig, {"colour_space": "rgb",
                                           **config_from_metadata(metadata)})
            c_in, c_out = int(metadata["channels_in"]), int(metadata["channels_out"])
            generator = _load_state(pix2pix_generator(config, c_in, c_out), states.get("G"), path)
            directions = {config.direction: Translator(generator, c_in, c_out)}
        else:
            config = build(CycleGANConfig, config_from_metadata(metadata))
            c_a, c_b = int(metadata["channels_a"]), int(metadata["channels_b"])
            nets = cyclegan_generators(config, c_a, c_b)
            directions = {
                "AtoB": Translator(_load_state(nets["G_AB"], states.get("G_AB"), path), c_a, c_b),
                "BtoA": Translator(_load_state(nets["G_BA"], states.get("G_BA"), path), c_b, c_a),
            }
    except (KeyError, ValueError, json.JSONDecodeError):
        raise GantoolError(f"{path} lacks the {task} metadata (channels, size multiple); "
                           f"export it with `gantool train {task}`") from None
    return Model(directions, multiple, config, path)
