"""Loading an exported segmentor: the shipped phantom model or a `gantool train segan` run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gantool.checkpoint import config_from_metadata, load_weights
from gantool.config import build
from gantool.errors import GantoolError
from gantool.metadata import split_networks
from gantool_segan.config import SeganConfig
from gantool_segan.models import Segmentor

SHIPPED = Path(__file__).parent / "weights" / "segan_phantom.safetensors"
"""SegAN trained on `lesion-phantom` (see weights/MODEL_CARD.md)."""


@dataclass
class Model:
    segmentor: Segmentor
    classes: int
    channels: int
    method: str
    path: Path


def load_model(path: Path | None) -> Model:
    """The eval-mode segmentor of `path` (default: the shipped model)."""
    path = Path(path) if path is not None else SHIPPED
    tensors, metadata = load_weights(path, task="segan")
    try:
        config = build(SeganConfig, config_from_metadata(metadata))
        classes, channels = int(metadata["classes"]), int(metadata["channels"])
    except (KeyError, ValueError, GantoolError):
        raise GantoolError(f"{path} lacks the segan metadata (classes, channels, config); "
                           "re-export it with `gantool train segan`") from None
    segmentor = Segmentor(channels, classes, config.base, config.depth)
    try:
        segmentor.load_state_dict(split_networks(tensors, "networks").get("S", {}))
    except RuntimeError:
        raise GantoolError(f"{path} does not hold the segmentor its metadata describes; "
                           "re-export it with `gantool train segan`") from None
    segmentor.eval().requires_grad_(False)
    return Model(segmentor, classes, channels, metadata.get("method", config.method), path)
