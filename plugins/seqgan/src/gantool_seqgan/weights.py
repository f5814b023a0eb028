"""Loading an exported `seqgan` model: the generator, its vocabulary and its training config."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gantool.checkpoint import config_from_metadata, load_weights
from gantool.config import build
from gantool.errors import GantoolError
from gantool.metadata import split_networks
from gantool_seqgan.config import SeqganConfig
from gantool_seqgan.models import Generator
from gantool_seqgan.vocab import Vocabulary


@dataclass
class Model:
    generator: Generator
    vocab: Vocabulary
    config: SeqganConfig


def load_model(path: Path) -> Model:
    """The generator of `path` in eval mode, with the vocabulary stored beside it."""
    tensors, metadata = load_weights(path, task="seqgan")
    if "vocab" not in metadata:
        raise GantoolError(f"{path} has no vocabulary metadata; re-export it with "
                           "`gantool train seqgan`")
    config = build(SeqganConfig, config_from_metadata(metadata))
    vocab = Vocabulary.from_json(metadata["vocab"])
    generator = Generator(len(vocab), config.embedding, config.hidden)
    state = split_networks(tensors, "networks").get("G")
    if state is None:
        raise GantoolError(f"{path} holds no generator weights; pass a model.safetensors "
                           "written by `gantool train seqgan`")
    generator.load_state_dict(state)
    return Model(generator.eval(), vocab, config)
