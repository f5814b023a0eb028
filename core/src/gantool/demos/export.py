"""The demos' generators as ONNX graphs (`gantool export gaussians|digits`)."""

from __future__ import annotations

from gantool.export import OnnxGraph, normal
from gantool.models import LoadedModel


def gaussians_graphs(model: LoadedModel) -> list[OnnxGraph]:
    """G: noise `z` (N, z_dim) -> `points` (N, 2) on the plane."""
    z_dim = model.config.z_dim
    return [OnnxGraph("G", model["G"], [(normal(4, z_dim),), (normal(7, z_dim, seed=1),)],
                      ["z"], ["points"])]


def digits_graphs(model: LoadedModel) -> list[OnnxGraph]:
    """G: noise `z` (N, z_dim) -> `images` (N, 1, S, S) in [-1, 1]."""
    z_dim = model.config.z_dim
    return [OnnxGraph("G", model["G"], [(normal(2, z_dim),), (normal(5, z_dim, seed=1),)],
                      ["z"], ["images"])]
