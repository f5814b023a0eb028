"""`gantool export superres`: the generator's ONNX graph, the one `gantool run` runs.

The graph is written from the weights by `onnx_graph` (the ONNX Runtime engine's own), not
traced, so the exported file and the engine compute the same thing; the core checks it
against the PyTorch generator like any traced graph.
"""

from __future__ import annotations

from gantool.export import OnnxGraph, uniform
from gantool.models import LoadedModel
from gantool_superres.onnx_engine import build_graph


def onnx_graphs(model: LoadedModel) -> list[OnnxGraph]:
    """G: `lr` (N, 3, h, w) in [0, 1] -> `sr` (N, 3, scale h, scale w), any h and w."""
    generator = model["G"]
    samples = [(uniform(1, 3, 12, 12),), (uniform(2, 3, 9, 14, seed=1),)]
    return [OnnxGraph("G", generator, samples, ["lr"], ["sr"],
                      graph=build_graph(model.path, generator.arch),
                      metadata={"scale": str(generator.arch.scale)})]
