"""Loading an exported `vawgan` model: its networks, speakers and analysis settings."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from torch import nn

from gantool.checkpoint import config_from_metadata, load_weights
from gantool.config import build
from gantool.errors import GantoolError
from gantool.metadata import split_networks
from gantool_vawgan.config import VawganConfig
from gantool_vawgan.corpus import Analysis
from gantool_vawgan.models import build_networks
from gantool_vawgan.training import analysis_of


@dataclass
class Model:
    networks: dict[str, nn.Module]
    speakers: list[str]
    config: VawganConfig

    @property
    def analysis(self) -> Analysis:
        return analysis_of(self.config)

    def speaker_index(self, name: str) -> int:
        if name not in self.speakers:
            raise GantoolError(f"unknown target speaker {name!r}; this model knows "
                               f"{', '.join(self.speakers)}")
        return self.speakers.index(name)


def load_model(path: Path) -> Model:
    """Encoder, decoder and statistics of `path`, in eval mode."""
    tensors, metadata = load_weights(path, task="vawgan")
    config = build(VawganConfig, config_from_metadata(metadata))
    speakers = json.loads(metadata["speakers"])
    networks = build_networks(config.order, len(speakers), config.hidden, config.latent,
                              config.speaker_dim)
    del networks["critic"]
    for name, state in split_networks(tensors, "networks").items():
        networks[name].load_state_dict(state)
        networks[name].eval()
    return Model(networks, speakers, config)
