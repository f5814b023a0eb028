"""Exported models as the run and eval code uses them: one generator per direction.

`gantool.models.load_model` rebuilds and checks the networks; what is left here is what only
this plugin knows: the shipped model used when `--weights` is omitted, and which generator
translates which way, with the channels it takes and makes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from torch import nn

from gantool.errors import GantoolError
from gantool.models import LoadedModel, load_model
from gantool_translation.models import cyclegan_multiple, pix2pix_multiple
from gantool_translation.shipped import CYCLEGAN_WEIGHTS, PIX2PIX_WEIGHTS, WEIGHTS_DIR  # noqa: F401

PIX2PIX = "pix2pix"
CYCLEGAN = "cyclegan"


@dataclass
class Translator:
    """One direction of a model: its generator and the channels it takes and makes."""

    generator: nn.Module
    channels_in: int
    channels_out: int
    smooth_in: float | None = None
    """Median smoothness of the training inputs (`gantool_translation.domains`), if recorded."""
    smooth_out: float | None = None
    side: int = 0
    """The side of the images the model trained on (0: unknown)."""


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


def _network(model: LoadedModel, name: str) -> nn.Module:
    """A file without the "networks" metadata loads whatever it holds; make sure that was it."""
    if name not in model.networks:
        raise GantoolError(f"{model.path} does not hold {model.task}'s network {name!r}; "
                           f"re-export it with `gantool train {model.task}`")
    return model[name]


def _smoothness(model: LoadedModel) -> dict[str, float | None]:
    recorded = json.loads(model.metadata.get("smoothness", "{}"))
    return {"A": recorded.get("A"), "B": recorded.get("B")}


def load_pix2pix(path: Path) -> Model:
    """The generator of a pix2pix model, for the one direction it was trained in."""
    return pix2pix_model(load_model(path, PIX2PIX))


def pix2pix_model(model: LoadedModel) -> Model:
    c_in, c_out = int(model.metadata["channels_in"]), int(model.metadata["channels_out"])
    smooth = _smoothness(model)
    source, target = ("B", "A") if model.config.direction == "BtoA" else ("A", "B")
    translator = Translator(_network(model, "G"), c_in, c_out, smooth[source], smooth[target],
                            model.config.image_size)
    return Model({model.config.direction: translator}, pix2pix_multiple(model.config.depth),
                 model.config, model.path)


def load_cyclegan(path: Path) -> Model:
    """Both generators of a CycleGAN model: G_AB translates A -> B, G_BA back."""
    return cyclegan_model(load_model(path, CYCLEGAN))


def cyclegan_model(model: LoadedModel) -> Model:
    c_a, c_b = int(model.metadata["channels_a"]), int(model.metadata["channels_b"])
    smooth = _smoothness(model)
    side = model.config.image_size
    return Model({"AtoB": Translator(_network(model, "G_AB"), c_a, c_b, smooth["A"], smooth["B"],
                                     side),
                  "BtoA": Translator(_network(model, "G_BA"), c_b, c_a, smooth["B"], smooth["A"],
                                     side)},
                 cyclegan_multiple(), model.config, model.path)
