"""A trained classifier as `eval` and `run` use it: one network, its classes and image shape."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import Tensor, nn

from gantool.errors import GantoolError
from gantool.models import load_model
from gantool.train.devices import device_of
from gantool_semisup.config import SemisupConfig
from gantool_semisup.models import layout

SHIPPED = Path(__file__).parent / "weights" / "ssl_gan_mnist.safetensors"
"""The default model of `gantool run ssl-gan`: the K+1 classifier of MNIST with 100 labels."""


@dataclass
class Model:
    task: str
    config: SemisupConfig
    classifier: nn.Module
    classes: list[str]
    shape: tuple[int, int, int]
    path: Path


def load_ssl_gan(path: Path) -> Model:
    """`ssl-gan` classifies with D, its K-logit discriminator."""
    return load_classifier(path, "ssl-gan", "D")


def load_triple_gan(path: Path) -> Model:
    """`triple-gan` classifies with C."""
    return load_classifier(path, "triple-gan", "C")


def load_classifier(path: Path, task: str, network: str) -> Model:
    """`task`'s exported model (every failure one GantoolError line), keeping only the network
    that classifies: neither verb needs the generator."""
    loaded = load_model(path, task)
    if network not in loaded.networks:
        raise GantoolError(f"{path} does not hold {task}'s classifier {network!r}; re-export "
                           f"it with `gantool train {task}`")
    shape, _ = layout(loaded.metadata)
    return Model(task, loaded.config, loaded[network], json.loads(loaded.metadata["classes"]),
                 shape, loaded.path)


def predict(model: Model, images: Tensor) -> Tensor:
    """N x K class probabilities on the CPU, computed wherever the classifier lives."""
    device = device_of(model.classifier)
    with torch.no_grad():
        return torch.cat([model.classifier(x.to(device)).softmax(1).cpu()
                          for x in images.split(500)])
