"""Exported generator weights: shipped files, checks, loading, metadata to write.

Checking a file needs only its header, so this module imports torch only when a generator
is actually built: `gantool run` on ONNX Runtime never imports it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from gantool.errors import GantoolError
from gantool.metadata import read_task_metadata, split_networks
from gantool_superres.architecture import Architecture, read_architecture

if TYPE_CHECKING:
    from torch import nn

    from gantool_superres.models import SRResNet

WEIGHTS_DIR = Path(__file__).parent / "weights"
SHIPPED = {"srresnet": WEIGHTS_DIR / "srresnet_x4.safetensors",
           "srgan": WEIGHTS_DIR / "srgan_x4.safetensors"}
DEFAULT_MODEL = "srresnet"
TASK = "superres"


def metadata(arch: Architecture, model: str) -> dict[str, str]:
    return {"scale": str(arch.scale), "architecture": json.dumps(arch.as_dict()), "model": model}


def resolve(weights: Path | None, model: str | None) -> Path:
    """The weights file to use: an explicit path, else the named or default shipped model."""
    if weights is not None:
        return weights
    return SHIPPED[model or DEFAULT_MODEL]


def check_weights(path: Path, scale: int | None = None) -> Architecture:
    """The architecture of a super-resolution weights file, read from its header alone."""
    return read_architecture(read_task_metadata(path, TASK), path, scale)


def load_generator(path: Path, scale: int | None = None) -> SRResNet:
    """An eval-mode SRResNet from a `model.safetensors`, refusing files for another scale."""
    from gantool.checkpoint import load_weights
    from gantool_superres.models import SRResNet

    tensors, meta = load_weights(path, task=TASK)
    generator = SRResNet(read_architecture(meta, path, scale))
    state = split_networks(tensors, "networks").get("G")
    try:
        generator.load_state_dict(state or {})
    except RuntimeError:
        raise mismatch(path) from None
    return generator.eval().requires_grad_(False)


def mismatch(path: Path) -> GantoolError:
    """The error for tensors that do not fit the architecture in the file's metadata."""
    return GantoolError(f"{path} does not hold the generator its metadata describes; "
                        "re-export it with `gantool train superres`")


def count_parameters(network: nn.Module) -> int:
    return sum(p.numel() for p in network.parameters())
