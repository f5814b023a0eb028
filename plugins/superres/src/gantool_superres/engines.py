"""What runs the generator in `run` and `eval`: numpy in, numpy out, on ONNX Runtime or torch.

A one-shot command is dominated by start-up: on a 2-core AVX2 CPU `import torch` alone takes
about 4 s and `import onnxruntime` 0.3 s, for an equally fast forward pass (see the bench). So
the generator runs on ONNX Runtime, from a graph written once per weights file
(`onnx_engine`), except where bf16 is used: on CPUs with native bf16 torch's bf16 kernels are
several times faster than any fp32 forward, for jobs large enough to repay torch's import.
Elsewhere the default is ONNX Runtime in int8 (`int8`) for weights shipped with their
activation ranges, which the bench ships only where int8 loses at most 0.1 dB on held-out
photos.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from gantool.errors import GantoolError
from gantool_superres.config import Engine
from gantool_superres.weights import calibration_file, check_weights

# (1, 3, h, w) float32 in [0, 1] -> (1, 3, h * scale, w * scale) float32
Forward = Callable[[np.ndarray], np.ndarray]


def native_bf16() -> bool:
    """Whether this CPU computes bf16 natively (emulated bf16 is slower than fp32)."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "amx_bf16" in flags or "avx512_bf16" in flags


SMALL_JOB_PIXELS = 500_000
"""Input pixels below which ONNX Runtime in int8 finishes a job before bf16 would: bf16's
forward is about twice as fast on CPUs with native bf16, but it runs on torch, whose import
alone costs about 1.6 s more than ONNX Runtime's (`bench:superres`, the speed tables)."""


def chosen_precision(weights: Path, precision: str, engine: Engine = "auto",
                     small_job: bool = False) -> str:
    """`precision` with auto resolved for `engine`: on CPUs with native bf16, bf16 (torch),
    except int8 for a `small_job` where the weights ship their activation ranges and the
    engine is free; elsewhere int8 for weights with ranges (ONNX Runtime), else fp32."""
    if precision != "auto":
        return precision
    int8 = engine != "torch" and calibration_file(weights).is_file()
    if native_bf16() and engine != "onnxruntime":
        return "int8" if small_job and engine == "auto" and int8 else "bf16"
    return "int8" if int8 else "fp32"


def load_forward(weights: Path, scale: int, engine: Engine = "auto", precision: str = "auto",
                 threads: int = 0) -> tuple[Forward, int]:
    """The generator of `weights` as a numpy forward, and the tiling overlap it needs.

    The file's header is checked first (task, scale), so a wrong file fails before any engine
    is imported.
    """
    arch = check_weights(weights, scale)
    pad = arch.receptive_radius()
    precision = chosen_precision(weights, precision, engine)
    if engine == "auto":
        engine = "torch" if precision == "bf16" else "onnxruntime"
    if engine == "torch":
        if precision == "int8":
            raise GantoolError("--precision int8 runs on ONNX Runtime; pass --engine "
                               "onnxruntime (or auto), or --precision fp32 or bf16")
        from gantool_superres.torch_engine import torch_forward

        return torch_forward(weights, scale, precision == "bf16", threads), pad
    if precision == "bf16":
        raise GantoolError("--engine onnxruntime runs in fp32 or int8; pass --precision fp32, "
                           "or --engine torch for bf16")
    if precision == "int8":
        from gantool_superres.int8 import int8_forward

        return int8_forward(weights, arch, threads), pad
    from gantool_superres.onnx_engine import onnx_forward

    return onnx_forward(weights, arch, threads), pad


def self_ensemble(forward: Forward) -> Forward:
    """`forward` averaged over the eight flips and quarter turns of its input (EDSR's "+").

    The errors of the eight passes are partly independent, so the mean is closer to the truth
    (+0.06 dB on BSD68 for the shipped model) at eight times the time. Each pass sees a
    transformed tile with the same context, so tiled output stays seamless.
    """

    def ensembled(x: np.ndarray) -> np.ndarray:
        total = np.zeros((), dtype=np.float32)
        for turns in range(4):
            for flip in (False, True):
                view = np.rot90(x, turns, (2, 3))
                out = forward(np.ascontiguousarray(view[..., ::-1] if flip else view))
                total = total + np.rot90(out[..., ::-1] if flip else out, -turns, (2, 3))
        return total / 8

    return ensembled
