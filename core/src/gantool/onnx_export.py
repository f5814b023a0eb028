"""PyTorch networks to ONNX graphs, checked on ONNX Runtime before a file is written.

The graph is traced by torch's TorchScript exporter (`dynamo=False`): torch's default dynamo
exporter needs the `onnxscript` package, and the traced graphs of these networks are the
same. A graph that ONNX Runtime computes differently from PyTorch on any sample is refused,
so a written file is one that was seen to agree.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import numpy as np
import torch

from gantool import __version__
from gantool.errors import GantoolError
from gantool.files import atomic_path

if TYPE_CHECKING:
    from gantool.export import OnnxGraph

OPSET = 17
MISSING = ("ONNX export needs the `onnx` and `onnxruntime` packages: "
           "pip install 'gantool-core[onnx]'")


@dataclass(frozen=True)
class Exported:
    """A graph written: where, and how far ONNX Runtime's outputs were from PyTorch's."""

    name: str
    path: Path
    difference: float
    samples: int

    def line(self) -> str:
        return (f"wrote {self.path}  ({self.name}: max abs difference from PyTorch "
                f"{self.difference:.3g} over {self.samples} sample inputs)")


def _runtime() -> ModuleType:
    """onnxruntime, imported only when a command exports."""
    try:
        import onnxruntime
    except ImportError:
        raise GantoolError(MISSING) from None
    return onnxruntime


def serialise(graph: OnnxGraph, metadata: Mapping[str, str]) -> bytes:
    """The ONNX model of `graph`, traced from its first sample unless it comes ready, with
    `metadata` and the graph's own in its metadata_props."""
    try:
        import onnx
    except ImportError:
        raise GantoolError(MISSING) from None
    data = graph.graph if graph.graph is not None else _trace(graph)
    model = onnx.load_from_string(data)
    props = {"gantool": __version__, "network": graph.name, **metadata, **graph.metadata}
    del model.metadata_props[:]
    for key, value in props.items():
        model.metadata_props.add(key=key, value=value)
    model.producer_name = "gantool"
    return model.SerializeToString()


def _trace(graph: OnnxGraph) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), torch.no_grad():
        # the exporter warns that it is deprecated, of every size its tracer reads, of
        # constant folding it skips and of instance norm using its input's statistics (as it
        # should); the check on samples of other sizes is what shows the graph is right
        warnings.simplefilter("ignore")
        torch.onnx.export(graph.module.eval(), tuple(graph.samples[0]), buffer, dynamo=False,
                          input_names=list(graph.input_names),
                          output_names=list(graph.output_names),
                          dynamic_axes={k: dict(v) for k, v in graph.axes().items()},
                          opset_version=OPSET)
    return buffer.getvalue()


def _outputs(module: torch.nn.Module, sample: Sequence[torch.Tensor]) -> list[np.ndarray]:
    with torch.no_grad():
        out = module(*sample)
    tensors = out if isinstance(out, tuple | list) else (out,)
    return [t.float().numpy() for t in tensors]


def difference(data: bytes, graph: OnnxGraph) -> float:
    """The largest |ONNX Runtime - PyTorch| over every output of every sample; raises when
    it exceeds the graph's tolerance or a shape differs."""
    ort = _runtime()
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1  # small samples: threads cost more than they save
    options.log_severity_level = 3
    session = ort.InferenceSession(data, options, providers=["CPUExecutionProvider"])
    worst = 0.0
    for sample in graph.samples:
        feeds = {name: t.numpy() for name, t in zip(graph.input_names, sample, strict=True)}
        got = session.run(list(graph.output_names), feeds)
        for name, ours, want in zip(graph.output_names, got, _outputs(graph.module, sample),
                                    strict=True):
            if ours.shape != want.shape:
                raise GantoolError(f"the ONNX graph {graph.name!r} gives {name} of shape "
                                   f"{list(ours.shape)} where PyTorch gives {list(want.shape)}; "
                                   "nothing was written")
            diff = float(np.abs(ours.astype(np.float32) - want).max(initial=0.0))
            allowed = graph.tolerance * max(1.0, float(np.abs(want).max(initial=0.0)))
            if not diff <= allowed:
                raise GantoolError(f"the ONNX graph {graph.name!r} differs from PyTorch by "
                                   f"{diff:.3g} in {name} (more than {allowed:.3g}); nothing "
                                   "was written")
            worst = max(worst, diff)
    return worst


def write_graphs(graphs: Sequence[OnnxGraph], paths: Sequence[Path],
                 metadata: Mapping[str, str]) -> list[Exported]:
    """Serialise and check every graph, then write them all: each file appears complete or
    not at all, and none appears unless every graph passed its check."""
    checked = []
    for graph in graphs:
        data = serialise(graph, metadata)
        checked.append((data, difference(data, graph)))
    for folder in {path.parent for path in paths}:
        folder.mkdir(exist_ok=True)
    with contextlib.ExitStack() as stack:
        for (data, _), path in zip(checked, paths, strict=True):
            stack.enter_context(atomic_path(path)).write_bytes(data)
    return [Exported(graph.name, path, diff, len(graph.samples))
            for graph, path, (_, diff) in zip(graphs, paths, checked, strict=True)]
