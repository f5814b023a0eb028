"""The networks: MLPs sized for small images (8x8 digits, 28x28 MNIST), as in the papers'
permutation-invariant MNIST settings."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch.nn.utils.parametrizations import weight_norm as _weight_norm

from gantool.layers import GaussianNoise
from gantool_semisup.config import SemisupConfig, SslGanConfig, TripleGanConfig


def _linear(inputs: int, outputs: int, normed: bool) -> nn.Module:
    layer = nn.Linear(inputs, outputs)
    return _weight_norm(layer) if normed else layer


class Classifier(nn.Module):
    """K logits from Gaussian-noised, weight-normalised ReLU layers (Salimans et al. 2016).

    Noise on the input and on every hidden layer keeps the critic from separating real from
    generated images by imperceptible details; `features` (the last hidden layer) is what the
    K+1 generator's feature matching compares. Without `hidden_gains` every hidden unit is a
    unit-norm direction of fixed gain 1 (the paper's code trains only the output layer's gain):
    the critic cannot sharpen its features by growing them, and the hidden noise stays large
    against its signal.
    """

    def __init__(self, in_features: int, classes: int, widths: Sequence[int],
                 input_noise: float, hidden_noise: float, weight_norm: bool,
                 hidden_gains: bool = True) -> None:
        super().__init__()
        layers: list[nn.Module] = [nn.Flatten(), GaussianNoise(input_noise)]
        for inputs, outputs in zip([in_features, *widths[:-1]], widths, strict=True):
            linear = _linear(inputs, outputs, weight_norm)
            if weight_norm and not hidden_gains:
                gain = linear.parametrizations.weight.original0
                gain.data.fill_(1)
                gain.requires_grad_(False)
            layers += [linear, nn.ReLU(), GaussianNoise(hidden_noise)]
        self.body = nn.Sequential(*layers)
        self.head = _linear(widths[-1], classes, weight_norm)

    def features(self, x: Tensor) -> Tensor:
        return self.body(x)

    def forward(self, x: Tensor) -> Tensor:
        return self.head(self.body(x))


class Generator(nn.Module):
    """Noise (and, when conditional, a one-hot class) to images: two softplus layers with batch
    norm, then a sigmoid (Salimans et al.'s MNIST generator: images in [0, 1]) or a softplus
    output. A conditional generator sees the class at every layer, so it cannot drift away
    from it. `noise` names the distribution of z the generator is fed (`noise_like`)."""

    def __init__(self, z_dim: int, shape: Sequence[int], width: int, classes: int = 0,
                 output: str = "sigmoid", noise: str = "normal") -> None:
        super().__init__()
        self.shape = tuple(shape)
        self.classes = classes
        self.noise = noise
        self.hidden = nn.ModuleList([nn.Linear(z_dim + classes, width),
                                     nn.Linear(width + classes, width)])
        self.norms = nn.ModuleList([nn.BatchNorm1d(width), nn.BatchNorm1d(width)])
        self.out = _weight_norm(nn.Linear(width + classes, math.prod(self.shape)))
        self.activation = torch.sigmoid if output == "sigmoid" else F.softplus

    def forward(self, z: Tensor, y: Tensor | None = None) -> Tensor:
        h = z
        for linear, norm in zip(self.hidden, self.norms, strict=True):
            h = F.softplus(norm(linear(_join(h, y))))
        return self.activation(self.out(_join(h, y))).view(-1, *self.shape)


class PairDiscriminator(nn.Module):
    """Triple-GAN's critic: one logit for an (image, class) pair, the one-hot class joined to
    every layer; Gaussian noise on its inputs and hidden units as in the classifier."""

    def __init__(self, in_features: int, classes: int, widths: Sequence[int],
                 input_noise: float, hidden_noise: float) -> None:
        super().__init__()
        self.input_noise = GaussianNoise(input_noise)
        self.hidden = nn.ModuleList([
            _weight_norm(nn.Linear(inputs + classes, outputs))
            for inputs, outputs in zip([in_features, *widths[:-1]], widths, strict=True)])
        self.noise = GaussianNoise(hidden_noise)
        self.out = _weight_norm(nn.Linear(widths[-1] + classes, 1))

    def forward(self, x: Tensor, y: Tensor) -> Tensor:
        h = self.input_noise(x.flatten(1))
        for linear in self.hidden:
            h = self.noise(F.leaky_relu(linear(_join(h, y)), 0.2))
        return self.out(_join(h, y)).squeeze(1)


def _join(h: Tensor, y: Tensor | None) -> Tensor:
    return h if y is None else torch.cat([h, y], dim=1)


def one_hot(labels: Tensor, classes: int) -> Tensor:
    return F.one_hot(labels, classes).float()


def layout(metadata: dict[str, str]) -> tuple[tuple[int, int, int], int]:
    """(image shape C x H x W, number of classes) that the exported metadata records."""
    channels, height, width = json.loads(metadata["shape"])
    return (channels, height, width), len(json.loads(metadata["classes"]))


def _classifier(config: SemisupConfig, shape: tuple[int, int, int], classes: int) -> Classifier:
    return Classifier(math.prod(shape), classes, config.widths, config.input_noise,
                      config.hidden_noise, config.weight_norm, config.hidden_gains)


def ssl_gan_networks(config: SslGanConfig, metadata: dict[str, str]) -> dict[str, nn.Module]:
    """`ssl-gan`: the classifier D and, unless the run is the supervised baseline, the
    generator G."""
    shape, k = layout(metadata)
    nets: dict[str, nn.Module] = {"D": _classifier(config, shape, k)}
    if not config.supervised_only:
        nets["G"] = Generator(config.z_dim, shape, config.g_width, output=config.g_output,
                              noise=config.z_noise)
    return nets


def triple_gan_networks(config: TripleGanConfig, metadata: dict[str, str]
                        ) -> dict[str, nn.Module]:
    """`triple-gan`: the class-conditional generator G, the classifier C and the pair
    discriminator D."""
    shape, k = layout(metadata)
    return {"G": Generator(config.z_dim, shape, config.g_width, classes=k,
                           output=config.g_output, noise=config.z_noise),
            "C": _classifier(config, shape, k),
            "D": PairDiscriminator(math.prod(shape), k, config.d_widths, config.input_noise,
                                   config.hidden_noise)}
