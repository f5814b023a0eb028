"""What both games share: the data, the labelled subset, monitoring and the exported metadata."""

from __future__ import annotations

import json
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from gantool.train import StepContext
from gantool.train.devices import device_of
from gantool_semisup.config import SemisupConfig
from gantool_semisup.data import Images, labelled_split, unlabelled_pool
from gantool_semisup.labels import balanced_subset


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


def metadata_of(setup: Setup) -> dict[str, str]:
    """Strings stored in model.safetensors: what `build_networks`, `eval` and `run` need."""
    return {"classes": json.dumps(list(setup.classes)), "shape": json.dumps(list(setup.shape)),
            "labelled": json.dumps([setup.train.names[i] for i in setup.chosen.tolist()])}


def labelled_batch(ctx: StepContext, setup: Setup, size: int) -> tuple[Tensor, Tensor]:
    """A labelled batch drawn with replacement, reproducible from (seed, step); the indices
    are drawn on the CPU, where the labelled images are (no read-back from a GPU)."""
    images, labels = setup.labelled
    index = ctx.randint(len(labels), size, on_cpu=True)
    return images[index].to(ctx.device), labels[index].to(ctx.device)


def accuracy(network: nn.Module, images: Tensor, labels: Tensor) -> float:
    device = device_of(network)
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

