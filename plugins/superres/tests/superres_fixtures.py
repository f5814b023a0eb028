"""Tiny images and tiny weights made on the fly (helpers shared by the superres tests)."""

from pathlib import Path

import numpy as np

from gantool.checkpoint import save_weights
from gantool.metadata import join_networks
from gantool_superres.architecture import Architecture
from gantool_superres.models import SRResNet
from gantool_superres.weights import metadata

TINY = Architecture(scale=4, blocks=1, channels=8, residual=True)


def write_weights(path: Path, arch: Architecture = TINY, seed: int = 0,
                  claimed: Architecture | None = None) -> Path:
    """Weights of a random generator; `claimed` puts another architecture in the metadata."""
    import torch

    torch.manual_seed(seed)
    generator = SRResNet(arch)
    with torch.no_grad():  # a visible detail branch, so tiling mistakes would show
        generator.tail.weight.mul_(10)
    tensors = join_networks("networks", {"G": generator.state_dict()})
    save_weights(path, tensors, {"task": "superres", **metadata(claimed or arch, "srresnet")})
    return path


def photo(width: int = 40, height: int = 30, seed: int = 0) -> np.ndarray:
    """A smooth colour image with some texture (uint8, H x W x 3)."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    base = np.stack([x / width, y / height, (x + y) / (width + height)], axis=2) * 200
    return (base + rng.uniform(0, 55, (height, width, 3))).astype(np.uint8)
