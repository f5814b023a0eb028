"""`gantool run dann`: the class and its probability for each of the user's images
(`gantool.run` lists and reads them, `gantool.predictions` shows and writes the rows)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from gantool.images import read_image
from gantool.models import load_model
from gantool.predictions import table
from gantool.report import Table
from gantool.run import IMAGE_TREES, Run
from gantool.train.devices import device_of
from gantool_dann.config import DannConfig, DannRun
from gantool_dann.folders import Domain, conform, stack
from gantool_dann.models import classify
from gantool_dann.plugin import TASK

SHIPPED = Path(__file__).parent / "weights" / "dann_mnist_m.safetensors"
"""The default model of `gantool run dann`: DANN trained from MNIST to MNIST-M."""


@dataclass
class Model:
    """An exported model and the input format it was trained on."""

    networks: dict[str, nn.Module]
    classes: list[str]
    image_size: int
    channels: int
    config: DannConfig
    path: Path


def load(path: Path) -> Model:
    """The feature extractor and label classifier of `path`, in eval mode, on the CPU."""
    loaded = load_model(path, TASK)
    return Model(loaded.networks, json.loads(loaded.metadata["classes"]),
                 int(loaded.metadata["image_size"]), int(loaded.metadata["channels"]),
                 loaded.config, loaded.path)


@torch.no_grad()
def predict(model: Model, images: torch.Tensor, batch: int = 256) -> torch.Tensor:
    """Class probabilities of N x C x H x W images, on the CPU."""
    device = device_of(model.networks["features"])
    return torch.cat([classify(model.networks, x.to(device)).softmax(1).cpu()
                      for x in images.split(batch)])


def predictions(model: Model, read: list[tuple[Path, np.ndarray]], options: DannRun) -> Table:
    """The classes of the images read, each brought to the model's size and channels."""
    paths = [path for path, _ in read]
    side = model.image_size
    resized = [path for path, pixels in read if pixels.shape[:2] != (side, side)]
    notes = [f"notice: {len(resized)} of {len(paths)} images (such as {resized[0]}) were "
             f"resized to the model's {side}x{side}"] if resized else []
    images = stack(paths, [pixels for _, pixels in read], side)
    domain = conform(Domain(images, None, [], Path(options.input)), side, model.channels)
    return table(f"{TASK}: {model.path}", paths, model.classes, predict(model, domain.images),
                 notes)


run = Run(TASK, lambda model, path, options: read_image(path), inputs=IMAGE_TREES,
          table=predictions, load=lambda weights, options: load(weights))
