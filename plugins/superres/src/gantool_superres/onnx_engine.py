"""The generator on ONNX Runtime, from a graph written once per weights file.

The graph (weights included) is a cache entry, not a shipped file: it is derived from the
safetensors file (`onnx_graph`), named by that file's SHA-256, written atomically into
`gantool.files.cache_dir()`, and built again whenever it is missing or unreadable (or cannot
be cached). Neither building nor running it imports torch; later runs skip the `onnx` package
too (1.7 s to import).
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import onnxruntime as ort
from onnxruntime.capi.onnxruntime_pybind11_state import Fail, InvalidGraph, InvalidProtobuf
from safetensors import SafetensorError

from gantool.errors import GantoolError
from gantool.files import atomic_path, cache_dir
from gantool.metadata import split_networks
from gantool_superres.architecture import Architecture
from gantool_superres.weights import mismatch

if TYPE_CHECKING:
    from gantool_superres.engines import Forward

GRAPH_VERSION = 4  # raise when `onnx_graph` changes, so older cached graphs are not used
ORT_ERRORS = (Fail, InvalidGraph, InvalidProtobuf)


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:32]


def graph_path(weights: Path, kind: str = "") -> Path:
    """The cache entry of a weights file's graph (`kind` names a derived graph: "-int8-...")."""
    return cache_dir() / "superres" / f"{digest(weights)}{kind}-v{GRAPH_VERSION}.onnx"


def build_graph(weights: Path, arch: Architecture) -> bytes:
    """The serialised ONNX graph of a weights file, from its tensors and architecture."""
    from safetensors.numpy import load_file

    from gantool_superres.onnx_graph import generator_graph

    try:
        state = split_networks(load_file(weights), "networks").get("G", {})
        return generator_graph(arch, state)
    except (SafetensorError, OSError) as exc:
        raise GantoolError(f"weights file {weights} is corrupt ({exc})") from None
    except (KeyError, ValueError):
        raise mismatch(weights) from None


def store_graph(graph: bytes, target: Path) -> None:
    """Cache the graph; an unwritable cache only costs the next run the same rebuild."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(target) as tmp:
            tmp.write_bytes(graph)
        print(f"notice: wrote the ONNX graph of this weights file once, into {target.parent}",
              file=sys.stderr)
    except OSError as exc:
        print(f"notice: cannot cache the ONNX graph in {target.parent} ({exc.strerror or exc}); "
              "set GANTOOL_CACHE_DIR to a writable folder to skip rebuilding it", file=sys.stderr)


def _session(graph: Path | bytes, threads: int) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads  # 0: ONNX Runtime's default, one per core
    options.log_severity_level = 3  # errors only: nothing on stderr in normal runs
    model = str(graph) if isinstance(graph, Path) else graph
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def cached_forward(target: Path, build: Callable[[], bytes], threads: int = 0) -> Forward:
    """A numpy forward of the graph cached at `target`, built by `build` when it is missing or
    damaged."""
    try:
        session = _session(target, threads) if target.is_file() else None
    except ORT_ERRORS:  # a damaged cache entry: build it again
        target.unlink(missing_ok=True)
        session = None
    if session is None:
        graph = build()
        session = _session(graph, threads)
        store_graph(graph, target)
    return lambda x: session.run(None, {"lr": x})[0]


def onnx_forward(weights: Path, arch: Architecture, threads: int = 0) -> Forward:
    """The graph of `weights` (whose header gave `arch`) as a numpy forward: from the cache,
    else built and cached."""
    try:
        return cached_forward(graph_path(weights), lambda: build_graph(weights, arch), threads)
    except ORT_ERRORS:  # tensors of the wrong shapes for the architecture
        raise mismatch(weights) from None
