"""`gantool export ssl-gan|triple-gan`: the classifier, and Triple-GAN's conditional generator.

Classifiers take images as the data folders give them (N, C, H, W in [0, 1], the trained H and
W: the first layer is dense) and return K logits in the order of the class names stored in the
graph's metadata; the noise layers of training are off.
"""

from __future__ import annotations

import json

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from gantool.export import OnnxGraph, normal, uniform
from gantool.models import LoadedModel
from gantool_semisup.models import Generator, layout


class ClassGenerator(nn.Module):
    """Triple-GAN's G with class indices in place of one-hot rows."""

    def __init__(self, generator: Generator) -> None:
        super().__init__()
        self.generator = generator

    def forward(self, z: Tensor, label: Tensor) -> Tensor:
        return self.generator(z, F.one_hot(label, self.generator.classes).float())


def _classifier(model: LoadedModel, network: str) -> OnnxGraph:
    shape, _ = layout(model.metadata)
    samples = [(uniform(2, *shape),), (uniform(5, *shape, seed=1),)]
    return OnnxGraph(network, model[network], samples, ["images"], ["logits"],
                     metadata={"classes": json.dumps(json.loads(model.metadata["classes"]))})


def _generator(model: LoadedModel) -> OnnxGraph:
    generator = model["G"]
    z_dim, classes = model.config.z_dim, generator.classes

    def sample(n: int, seed: int) -> tuple[Tensor, Tensor]:
        labels = torch.randint(classes, (n,), generator=torch.Generator().manual_seed(seed))
        z = normal(n, z_dim, seed=seed) if generator.noise == "normal" else uniform(
            n, z_dim, seed=seed)
        return z, labels

    return OnnxGraph("G", ClassGenerator(generator), [sample(3, 0), sample(6, 1)],
                     ["z", "label"], ["images"],
                     metadata={"classes": json.dumps(json.loads(model.metadata["classes"])),
                               "z_noise": generator.noise,
                               "output": model.config.g_output})


def ssl_gan_graphs(model: LoadedModel) -> list[OnnxGraph]:
    """D: `images` -> `logits` (N, K) of the K real classes (the generated class's logit
    is the fixed 0 the K+1 formulation leaves implicit)."""
    return [_classifier(model, "D")]


def triple_gan_graphs(model: LoadedModel) -> list[OnnxGraph]:
    """C: `images` -> `logits` (N, K); G: noise `z` (N, z_dim) of the distribution in
    metadata `z_noise` (N(0, 1) or U(0, 1)) and `label` (N,) int64 -> `images` (N, C, H, W),
    in [0, 1] for a sigmoid `output`."""
    return [_classifier(model, "C"), _generator(model)]
