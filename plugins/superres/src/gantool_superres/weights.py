"""Exported generator weights: shipped files, the header check, metadata to write.

Checking a file needs only its header, so this module imports torch only when a generator
is actually loaded (through the core's `load_model`): `gantool run` on ONNX Runtime never
imports it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gantool.errors import GantoolError
from gantool.metadata import read_task_metadata
from gantool_superres.architecture import Architecture, read_architecture
from gantool_superres.plugin import TASK

if TYPE_CHECKING:
    from torch import nn

    from gantool_superres.models import SRResNet

WEIGHTS_DIR = Path(__file__).parent / "weights"
SHIPPED = {"srresnet": WEIGHTS_DIR / "srresnet_x4.safetensors",
           "srgan": WEIGHTS_DIR / "srgan_x4.safetensors",
           "srresnet-real": WEIGHTS_DIR / "srresnet_real_x4.safetensors"}
DEFAULT_MODEL = "srresnet"
REAL_MODEL = "srresnet-real"
"""The model for photos saved in a lossy format (trained with `--degradation real`)."""
LOSSY_FORMATS = frozenset({"JPEG", "MPO", "WEBP"})
"""PIL formats whose files carry compression artefacts (MPO: a camera's multi-picture JPEG)."""
CLEAN_FROM_QUALITY = 90
"""A JPEG of at least this quality goes to the clean model: on held-out photos the clean model
scored higher at quality 95 and the real-input model at 75 and below (bench/superres_jpeg.py)."""
STANDARD_LUMA_TABLE_SUM = 3688
"""Sum of the IJG's standard luminance quantisation table (quality 50)."""


def jpeg_quality(tables: dict[int, list[int]] | None) -> int | None:
    """The IJG quality a JPEG's luminance quantisation table was scaled for (libjpeg, PIL,
    most cameras and editors scale that table), or None without tables."""
    if not tables or 0 not in tables:
        return None
    scale = 100 * sum(tables[0]) / STANDARD_LUMA_TABLE_SUM
    return max(1, min(100, round((200 - scale) / 2 if scale <= 100 else 5000 / scale)))


def model_for(image_format: str | None, quality: int | None = None) -> str:
    """The shipped model an input needs: the real-input model for a lossy file (unless a JPEG
    of high quality), the clean model for the rest (PNG, TIFF, BMP: what was saved is what was
    seen)."""
    if image_format not in LOSSY_FORMATS:
        return DEFAULT_MODEL
    return DEFAULT_MODEL if quality is not None and quality >= CLEAN_FROM_QUALITY else REAL_MODEL


def shipped_for(config: Any) -> Path:
    """The shipped model a training starts from with `--init shipped`: the SRGAN model to
    fine-tune adversarially alone, else the PSNR model (pixel-loss training first)."""
    adversarial_only = config.pretrain_steps == 0 and config.adversarial_steps > 0
    return SHIPPED["srgan" if adversarial_only else DEFAULT_MODEL]


def metadata(arch: Architecture, model: str) -> dict[str, str]:
    return {"scale": str(arch.scale), "architecture": json.dumps(arch.as_dict()), "model": model}


def resolve(weights: Path | None, model: str | None) -> Path:
    """The weights file to use: an explicit path, else the named or default shipped model."""
    if weights is not None:
        return weights
    return SHIPPED[model or DEFAULT_MODEL]


def calibration_file(weights: Path) -> Path:
    """Where the int8 activation ranges of `weights` live (`gantool_superres.int8`):
    `srresnet_x4.int8.json` beside `srresnet_x4.safetensors`."""
    return Path(weights).with_suffix(".int8.json")


def check_weights(path: Path, scale: int | None = None) -> Architecture:
    """The architecture of a super-resolution weights file, read from its header alone."""
    return read_architecture(read_task_metadata(path, TASK), path, scale)


def load_generator(path: Path, scale: int | None = None) -> SRResNet:
    """The eval-mode generator of a `model.safetensors`, refusing files for another scale
    before any tensor is read. The builder and config are passed, not looked up, so library
    code (the bench, a notebook) loads weights without discovering every plugin."""
    from gantool.models import load_model
    from gantool_superres.config import SuperResConfig
    from gantool_superres.models import build_networks

    check_weights(path, scale)
    networks = load_model(path, TASK, builder=build_networks,
                          config_class=SuperResConfig).networks
    if "G" not in networks:  # a file without a "networks" list and without G's tensors
        raise mismatch(path)
    return networks["G"]


def mismatch(path: Path) -> GantoolError:
    """The error for tensors that do not fit the architecture in the file's metadata."""
    return GantoolError(f"{path} does not hold the generator its metadata describes; "
                        f"re-export it with `gantool train {TASK}`")


def count_parameters(network: nn.Module) -> int:
    return sum(p.numel() for p in network.parameters())
