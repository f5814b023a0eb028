"""`gantool run dann`: the class and its probability for each of the user's images
(`gantool.predictions`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from gantool.files import input_files
from gantool.images import read_image
from gantool.models import load_model
from gantool.outputs import SomeInputsFailed, each_input
from gantool.predictions import check_report, predictions
from gantool.report import Table
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


def load(path: Path) -> Model:
    """The feature extractor and label classifier of `path`, in eval mode, on the CPU."""
    loaded = load_model(path, TASK)
    return Model(loaded.networks, json.loads(loaded.metadata["classes"]),
                 int(loaded.metadata["image_size"]), int(loaded.metadata["channels"]),
                 loaded.config)


@torch.no_grad()
def predict(model: Model, images: torch.Tensor, batch: int = 256) -> torch.Tensor:
    """Class probabilities of N x C x H x W images, on the CPU."""
    device = device_of(model.networks["features"])
    return torch.cat([classify(model.networks, x.to(device)).softmax(1).cpu()
                      for x in images.split(batch)])


def run(options: DannRun) -> list[Path | Table]:
    """With no --weights: the shipped MNIST -> MNIST-M model. Outputs are checked before the
    model is loaded; a folder with unreadable files still reports (and writes) the
    predictions of the others, then fails listing the bad ones."""
    files = input_files(options.input, recursive=True)
    weights = options.weights or SHIPPED
    if options.output is not None:
        check_report(options.output, files, overwrite=options.overwrite, protected=[weights])
    model = load(weights)
    try:
        read = each_input(files, lambda path: (path, read_image(path)))
    except SomeInputsFailed as exc:
        raise SomeInputsFailed(str(exc), report(exc.done, model, weights, options)) from None
    return report(read, model, weights, options)


def report(read: list[tuple[Path, np.ndarray]], model: Model, weights: Path,
           options: DannRun) -> list[Path | Table]:
    """The predictions of the images read, each brought to the model's size and channels."""
    if not read:
        return []
    paths = [path for path, _ in read]
    side = model.image_size
    resized = [path for path, pixels in read if pixels.shape[:2] != (side, side)]
    notes = [f"notice: {len(resized)} of {len(paths)} images (such as {resized[0]}) were "
             f"resized to the model's {side}x{side}"] if resized else []
    images = stack(paths, [pixels for _, pixels in read], side)
    domain = conform(Domain(images, None, [], Path(options.input)), side, model.channels)
    return predictions(f"dann: {weights}", paths, model.classes, predict(model, domain.images),
                       notes, options.output)
