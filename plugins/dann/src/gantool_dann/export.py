"""`gantool export dann`: the feature extractor and label classifier as one classifier."""

from __future__ import annotations

import json

from torch import nn

from gantool.export import OnnxGraph, uniform
from gantool.models import LoadedModel


def onnx_graphs(model: LoadedModel) -> list[OnnxGraph]:
    """G_y(G_f(x)): `images` (N, C, S, S) in [0, 1] -> class `logits` (N, K). The side S is
    the trained one (the classifier's first layer has its size); the class names are in the
    graph's metadata, in the order of the logits."""
    channels, size = int(model.metadata["channels"]), int(model.metadata["image_size"])
    classifier = nn.Sequential(model["features"], model["label"])
    samples = [(uniform(2, channels, size, size),), (uniform(5, channels, size, size, seed=1),)]
    return [OnnxGraph("classifier", classifier, samples, ["images"], ["logits"],
                      metadata={"classes": json.dumps(json.loads(model.metadata["classes"]))})]
