"""int8 inference: the generator's ONNX graph quantized by ONNX Runtime.

Convolution weights are quantized per output channel, activations per tensor with ranges
measured once on crops of training photos (`calibrate`) and kept beside the weights as
`NAME.int8.json` (ONNX Runtime's calibration cache), so a run never calibrates and the same
weights always give the same int8 graph. What reads the input (the first convolution and the
bicubic skip) and the tail (it writes the output) stay fp32: on held-out photos quantizing
them doubled the loss for no measurable speed.

Building the graph imports the `onnx` package and ONNX Runtime's quantizer (about 2 s), so it
is done once per weights and calibration file and cached like the fp32 graph.
"""

from __future__ import annotations

import json
import logging
import random
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from gantool.errors import GantoolError
from gantool.files import atomic_path
from gantool_superres.architecture import Architecture
from gantool_superres.onnx_engine import build_graph, cached_forward, digest, graph_path
from gantool_superres.weights import calibration_file

if TYPE_CHECKING:
    from gantool_superres.engines import Forward

KEEP_FP32 = ("head.0.weight", "tail.weight", "bicubic")
"""Initializers whose convolutions stay fp32."""
WEIGHTS_KEY = "gantool_weights_sha256"
"""The calibration file's record of the weights it was measured for (ONNX Runtime ignores it)."""
CALIBRATION_CROPS, CROP = 32, 64
"""Low-resolution crops measured for the activation ranges, and their size in pixels."""


@contextmanager
def _quiet_quantizer() -> Iterator[None]:
    """The quantizer logs advice ("consider pre-processing") on the root logger; a run shows
    only its own notices."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        yield
    finally:
        root.setLevel(level)


def _quantized(graph: bytes, calibration: Path, crops: list[np.ndarray] | None = None) -> bytes:
    """`graph` with QDQ int8 convolutions; `crops` given, the ranges are measured on them and
    written to `calibration`, else read from it."""
    import onnx
    from onnxruntime.quantization import (
        CalibrationDataReader,
        QuantFormat,
        QuantType,
        quantize_static,
    )

    class Crops(CalibrationDataReader):
        def __init__(self) -> None:
            self.pending = iter(crops or [])

        def get_next(self) -> dict[str, np.ndarray] | None:
            crop = next(self.pending, None)
            return None if crop is None else {"lr": crop}

    model = onnx.load_from_string(graph)
    fp32_nodes = [node.name for node in model.graph.node if "lr" in node.input
                  or node.op_type == "Conv" and set(node.input) & set(KEEP_FP32)]
    with tempfile.TemporaryDirectory(prefix="gantool-int8-") as tmp, _quiet_quantizer():
        source, target = Path(tmp) / "fp32.onnx", Path(tmp) / "int8.onnx"
        source.write_bytes(graph)
        quantize_static(source, target, Crops() if crops else None,
                        quant_format=QuantFormat.QDQ, per_channel=True,
                        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                        nodes_to_exclude=fp32_nodes, calibration_cache_path=calibration)
        return target.read_bytes()


def training_crops(folder: Path, scale: int, count: int = CALIBRATION_CROPS,
                   size: int = CROP, seed: int = 0) -> list[np.ndarray]:
    """`count` random `size`-pixel crops of photos in `folder` downscaled by `scale`, as the
    (1, 3, size, size) inputs the generator sees."""
    from gantool.images import image_files
    from gantool_superres.images import read_rgb
    from gantool_superres.resample import downscale

    files = image_files(folder)
    if not files:
        raise GantoolError(f"no images in {folder}; pass a folder of training photos")
    rng = random.Random(seed)
    crops = []
    for path in rng.choices(files, k=count):
        truth = read_rgb(path).float()[None] / 255
        lr = downscale(truth[..., :truth.shape[-2] // scale * scale,
                             :truth.shape[-1] // scale * scale], scale)
        height, width = lr.shape[-2:]
        if min(height, width) < size:
            raise GantoolError(f"{path} is smaller than {size * scale} pixels; calibrate on "
                               "larger photos")
        top, left = rng.randrange(height - size + 1), rng.randrange(width - size + 1)
        crops.append(np.ascontiguousarray(lr[..., top:top + size, left:left + size].numpy()))
    return crops


def calibrate(weights: Path, arch: Architecture, crops: list[np.ndarray]) -> Path:
    """Measure the activation ranges of `weights` on `crops` and write its calibration file,
    never over an existing one."""
    target = calibration_file(weights)
    if target.exists():
        raise GantoolError(f"{target} exists; delete it to measure the int8 ranges again")
    with atomic_path(target) as tmp:
        tmp.unlink()  # the quantizer measures only where no calibration file exists
        _quantized(build_graph(weights, arch), tmp, crops)
        ranges = json.loads(tmp.read_text())
        tmp.write_text(json.dumps({**ranges, WEIGHTS_KEY: digest(weights)}))
    return target


def _checked(weights: Path) -> Path:
    """The calibration file of `weights`, refused when missing, unreadable or measured for
    other weights (a run folder's model.safetensors replaced by a later training)."""
    calibration = calibration_file(weights)
    if not calibration.is_file():
        raise GantoolError(
            f"--precision int8 needs the activation ranges of {weights} ({calibration.name} "
            "beside it); measure them with `gantool eval superres --psnr-weights "
            f"{weights} --int8-calibration TRAIN_PHOTOS ...`, or pass --precision fp32")
    try:
        measured_for = json.loads(calibration.read_text()).get(WEIGHTS_KEY)
    except (OSError, ValueError, AttributeError):
        measured_for = None
    if measured_for != digest(weights):
        raise GantoolError(f"{calibration} does not hold int8 ranges measured for {weights}; "
                           "delete it and measure them again, or pass --precision fp32")
    return calibration


def int8_forward(weights: Path, arch: Architecture, threads: int = 0) -> Forward:
    """The int8 graph of `weights` as a numpy forward: from the cache, else built from the
    weights and their calibration file."""
    calibration = _checked(weights)
    target = graph_path(weights, f"-int8-{digest(calibration)[:16]}")
    try:
        return cached_forward(target, lambda: _quantized(build_graph(weights, arch),
                                                         calibration), threads)
    except (ValueError, KeyError) as exc:
        raise GantoolError(f"cannot build the int8 graph of {weights} from {calibration} "
                           f"({exc}); delete it and measure the ranges again") from None
