"""The generator on ONNX Runtime, from a graph exported once per weights file.

The graph (weights included) is a cache entry, not a shipped file: it is derived from the
safetensors file, named by that file's SHA-256, written atomically into
`gantool.files.cache_dir()`, and exported again whenever it is missing or unreadable. Only the
export imports torch; every later run starts with ONNX Runtime alone.
"""

from __future__ import annotations

import hashlib
import sys
import warnings
from pathlib import Path

import onnxruntime as ort
from onnxruntime.capi.onnxruntime_pybind11_state import Fail, InvalidGraph, InvalidProtobuf

from gantool.errors import GantoolError
from gantool.files import atomic_path, cache_dir
from gantool_superres.engines import Forward

GRAPH_VERSION = 2  # raise when the export below changes, so older cached graphs are not used
OPSET = 17


def graph_path(weights: Path) -> Path:
    digest = hashlib.sha256(Path(weights).read_bytes()).hexdigest()[:32]
    return cache_dir() / "superres" / f"{digest}-v{GRAPH_VERSION}.onnx"


def export_graph(weights: Path, scale: int, target: Path) -> None:
    """Trace the torch generator into an ONNX graph with any input size."""
    import torch

    from gantool_superres.weights import load_generator

    generator = load_generator(weights, scale)
    print(f"notice: exporting {weights.name} to ONNX once (cached in {target.parent})",
          file=sys.stderr)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(target) as tmp, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation notice
            torch.onnx.export(generator, (torch.zeros(1, 3, 32, 32),), str(tmp),
                              input_names=["lr"], output_names=["sr"], opset_version=OPSET,
                              dynamic_axes={"lr": {2: "h", 3: "w"}, "sr": {2: "H", 3: "W"}},
                              dynamo=False)
    except OSError as exc:
        raise GantoolError(f"cannot write the ONNX graph cache {target.parent} "
                           f"({exc.strerror or exc}); set GANTOOL_CACHE_DIR to a writable "
                           "folder or pass --engine torch") from None


def _session(graph: Path, threads: int) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads  # 0: ONNX Runtime's default, one per core
    options.log_severity_level = 3  # errors only: nothing on stderr in normal runs
    return ort.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])


def onnx_forward(weights: Path, scale: int, threads: int = 0) -> Forward:
    """The cached graph of `weights` as a numpy forward (exported first if needed)."""
    graph = graph_path(weights)
    if not graph.is_file():
        export_graph(weights, scale, graph)
    try:
        session = _session(graph, threads)
    except (Fail, InvalidGraph, InvalidProtobuf):  # a damaged cache entry: rebuild it once
        graph.unlink(missing_ok=True)
        export_graph(weights, scale, graph)
        session = _session(graph, threads)
    return lambda x: session.run(None, {"lr": x})[0]
