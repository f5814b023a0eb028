"""`gantool export example-dcgan`: the generator as an ONNX graph; the core does the rest."""

from __future__ import annotations

from gantool.export import OnnxGraph, normal
from gantool.models import LoadedModel


def onnx_graphs(model: LoadedModel) -> list[OnnxGraph]:
    """G: noise `z` (N, z_dim) -> `images` (N, 1, 16, 16) in [-1, 1]."""
    z_dim = model.config.z_dim
    return [OnnxGraph("G", model["G"], [(normal(2, z_dim),), (normal(5, z_dim, seed=1),)],
                      ["z"], ["images"])]
