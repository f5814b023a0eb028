"""`gantool export segan`: the segmentor as an ONNX graph.

The segmentor pads its input to the U-Net's multiple and crops back itself, so the graph takes
scans of any size; it is traced at a size that needs the padding, so the padding is in it.
"""

from __future__ import annotations

from gantool.export import OnnxGraph, uniform
from gantool.models import LoadedModel


def onnx_graphs(model: LoadedModel) -> list[OnnxGraph]:
    """S: `images` (N, C, H, W) in [0, 1] -> `logits` (N, 1, H, W) for two classes
    (foreground where sigmoid > 0.5) or (N, K, H, W) for K (arg-max)."""
    channels, classes = int(model.metadata["channels"]), int(model.metadata["classes"])
    axes = {name: {0: "batch", 2: "height", 3: "width"} for name in ("images", "logits")}
    samples = [(uniform(1, channels, 37, 29),), (uniform(2, channels, 32, 48, seed=1),)]
    return [OnnxGraph("S", model["S"], samples, ["images"], ["logits"], axes,
                      metadata={"classes": str(classes), "channels": str(channels)})]
