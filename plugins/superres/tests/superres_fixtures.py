"""Tiny images and tiny weights made on the fly (helpers shared by the superres tests)."""

import json
from dataclasses import asdict
from pathlib import Path

from gantool.checkpoint import save_weights
from gantool.config import build, to_dict
from gantool.metadata import join_networks
from gantool_superres.architecture import Architecture
from gantool_superres.config import SuperResConfig
from gantool_superres.models import SRResNet
from gantool_superres.plugin import TASK
from gantool_superres.smoke import photo
from gantool_superres.weights import metadata

__all__ = ["TINY", "export_metadata", "photo", "write_weights"]

TINY = Architecture(scale=4, blocks=1, channels=8, residual=True)


def export_metadata(arch: Architecture, claimed: Architecture | None = None) -> dict[str, str]:
    """What the trainer writes beside a PSNR model's tensors; `claimed` puts another
    architecture in the metadata."""
    config = build(SuperResConfig, {"data": "photos", "adversarial_steps": 0, **asdict(arch)})
    return {"task": TASK, "config": json.dumps(to_dict(config)), "networks": json.dumps(["G"]),
            **metadata(claimed or arch, "srresnet")}


def write_weights(path: Path, arch: Architecture = TINY, seed: int = 0,
                  claimed: Architecture | None = None) -> Path:
    """Weights of a random generator, exported as training exports them."""
    import torch

    torch.manual_seed(seed)
    generator = SRResNet(arch)
    with torch.no_grad():  # a visible detail branch, so tiling mistakes would show
        generator.tail.weight.mul_(10)
    tensors = join_networks("networks", {"G": generator.state_dict()})
    save_weights(path, tensors, export_metadata(arch, claimed))
    return path
