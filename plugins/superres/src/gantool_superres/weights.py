"""Exported generator weights: shipped files, loading with checks, metadata to write."""

from __future__ import annotations

import json
from pathlib import Path

from torch import nn

from gantool.checkpoint import load_weights, split_networks
from gantool.errors import GantoolError
from gantool_superres.models import Architecture, SRResNet

WEIGHTS_DIR = Path(__file__).parent / "weights"
SHIPPED = {"srresnet": WEIGHTS_DIR / "srresnet_x4.safetensors",
           "srgan": WEIGHTS_DIR / "srgan_x4.safetensors"}
DEFAULT_MODEL = "srresnet"


def metadata(arch: Architecture, model: str) -> dict[str, str]:
    return {"scale": str(arch.scale), "architecture": json.dumps(arch.as_dict()), "model": model}


def resolve(weights: Path | None, model: str | None) -> Path:
    """The weights file to use: an explicit path, else the named or default shipped model."""
    if weights is not None:
        return weights
    return SHIPPED[model or DEFAULT_MODEL]


def load_generator(path: Path, scale: int | None = None) -> SRResNet:
    """An eval-mode SRResNet from a `model.safetensors`, refusing files for another scale."""
    tensors, meta = load_weights(path, task="superres")
    try:
        arch = Architecture(**json.loads(meta["architecture"]))
    except (KeyError, TypeError, ValueError):
        raise GantoolError(f"{path} has no valid super-resolution architecture metadata") \
            from None
    if scale is not None and arch.scale != scale:
        raise GantoolError(f"{path} upscales x{arch.scale}, not x{scale}; pass --scale "
                           f"{arch.scale} or weights trained for x{scale}")
    generator = SRResNet(arch)
    state = split_networks(tensors, "networks").get("G")
    try:
        generator.load_state_dict(state or {})
    except RuntimeError:
        raise GantoolError(f"{path} does not hold the generator its metadata describes; "
                           "re-export it with `gantool train superres`") from None
    return generator.eval().requires_grad_(False)


def count_parameters(network: nn.Module) -> int:
    return sum(p.numel() for p in network.parameters())
