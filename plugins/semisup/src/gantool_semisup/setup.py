"""What both games share: the data, the labelled subset, the networks, monitoring, exports."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from gantool.train import StepContext
from gantool_semisup.config import SemisupConfig, TripleGanConfig
from gantool_semisup.data import Images, labelled_split, unlabelled_pool
from gantool_semisup.labels import balanced_subset
from gantool_semisup.models import Classifier, Generator


@dataclass
class Setup:
    """The training images with all their labels, the labelled subset and the unlabelled pool."""

    train: Images
    chosen: Tensor
    pool: Images

    @property
    def classes(self) -> tuple[str, ...]:
        return self.train.classes

    @property
    def shape(self) -> tuple[int, int, int]:
        return self.train.shape

    @property
    def labelled(self) -> tuple[Tensor, Tensor]:
        assert self.train.labels is not None
        return self.train.images[self.chosen], self.train.labels[self.chosen]


def prepare(config: SemisupConfig) -> Setup:
    train = labelled_split(config.data, config.format, "train")
    assert train.labels is not None
    chosen = balanced_subset(train.labels, train.classes, config.labels, config.seed)
    return Setup(train, chosen, unlabelled_pool(config.data, config.format, config.unlabelled,
                                                train))


def classifier(config: SemisupConfig, shape: tuple[int, ...], classes: int) -> Classifier:
    return Classifier(math.prod(shape), classes, config.widths, config.input_noise,
                      config.hidden_noise, config.weight_norm)


def generator(config: SemisupConfig, shape: tuple[int, ...], classes: int) -> Generator:
    """Unconditional for the K+1 GAN, class-conditional for Triple-GAN."""
    conditional = classes if isinstance(config, TripleGanConfig) else 0
    return Generator(config.z_dim, shape, config.g_width, conditional)


def labelled_batch(ctx: StepContext, setup: Setup, size: int) -> tuple[Tensor, Tensor]:
    """A labelled batch drawn with replacement, reproducible from (seed, step)."""
    images, labels = setup.labelled
    index = ctx.randint(len(labels), size).cpu()
    return images[index].to(ctx.device), labels[index].to(ctx.device)


def accuracy(network: nn.Module, images: Tensor, labels: Tensor) -> float:
    device = next(network.parameters()).device
    with torch.no_grad():
        predicted = torch.cat([network(x.to(device)).argmax(1).cpu()
                               for x in images.split(500)])
    return (predicted == labels).float().mean().item()


def monitor(network: nn.Module, setup: Setup) -> dict[str, float]:
    """Training-set accuracies only: held-out data never steers a run."""
    metrics = {"labelled_accuracy": accuracy(network, *setup.labelled)}
    if setup.pool.labels is not None:
        metrics["unlabelled_accuracy"] = accuracy(network, setup.pool.images, setup.pool.labels)
    return metrics


def metadata(setup: Setup, classifier_name: str) -> dict[str, str]:
    """Strings stored in model.safetensors: what `eval` and `run` need to rebuild the model."""
    return {"classifier": classifier_name, "classes": json.dumps(list(setup.classes)),
            "shape": json.dumps(list(setup.shape)),
            "labelled": json.dumps([setup.train.names[i] for i in setup.chosen.tolist()])}
