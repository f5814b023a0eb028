"""Loading an exported `dann` model: the networks and the input format they were trained on."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from torch import nn

from gantool.checkpoint import config_from_metadata, load_weights
from gantool.config import build
from gantool.metadata import split_networks
from gantool_dann.config import DannConfig
from gantool_dann.models import feature_extractor, feature_size, label_classifier


@dataclass
class Model:
    networks: dict[str, nn.Module]
    classes: list[str]
    image_size: int
    channels: int
    config: DannConfig


def load_model(path: Path) -> Model:
    """The feature extractor and label classifier of `path`, in eval mode."""
    tensors, metadata = load_weights(path, task="dann")
    config = build(DannConfig, config_from_metadata(metadata))
    classes = json.loads(metadata["classes"])
    size, channels = int(metadata["image_size"]), int(metadata["channels"])
    networks = {"features": feature_extractor(channels, config.features),
                "label": label_classifier(feature_size(config.features, size), config.hidden,
                                          len(classes))}
    for name, state in split_networks(tensors, "networks").items():
        networks[name].load_state_dict(state)
        networks[name].eval()
    return Model(networks, classes, size, channels, config)
