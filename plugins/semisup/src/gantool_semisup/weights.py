"""Loading a trained classifier from model.safetensors (`eval` and `run` need no generator)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from torch import nn

from gantool.checkpoint import config_from_metadata, load_weights
from gantool.config import build
from gantool.errors import GantoolError
from gantool.metadata import split_networks
from gantool_semisup.config import SemisupConfig, SslGanConfig, TripleGanConfig
from gantool_semisup.setup import classifier

CONFIGS: dict[str, type[SemisupConfig]] = {"ssl-gan": SslGanConfig, "triple-gan": TripleGanConfig}


@dataclass
class Model:
    task: str
    config: SemisupConfig
    classifier: nn.Module
    classes: list[str]
    shape: tuple[int, int, int]


def load_model(path: Path) -> Model:
    """The exported classifier in eval mode, refusing weights of other tasks."""
    tensors, metadata = load_weights(path)
    task = metadata.get("task", "")
    if task not in CONFIGS:
        raise GantoolError(f"{path} holds weights for task {task!r}; pass a model.safetensors "
                           "from `gantool train ssl-gan` or `gantool train triple-gan`")
    config = build(CONFIGS[task], config_from_metadata(metadata))
    classes = json.loads(metadata["classes"])
    shape = tuple(json.loads(metadata["shape"]))
    states = split_networks(tensors, "networks")
    network = classifier(config, shape, len(classes))
    network.load_state_dict(states[metadata["classifier"]])
    return Model(task, config, network.eval(), classes, shape)  # type: ignore[arg-type]
