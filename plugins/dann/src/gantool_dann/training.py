"""DANN as a gantool game: one player owns the feature extractor and both classifiers.

Its loss is the label cross-entropy on source images plus the domain cross-entropy on source
and target features passed through the gradient-reversal layer. One backward pass then moves
the domain classifier towards telling the domains apart and the feature extractor, reversed,
towards features it cannot tell apart: the min-max of a GAN with the features as generator.
The baselines are the same game with the domain term removed (source-only) or with target
labels instead of source labels (target-only, the upper bound).
"""

from __future__ import annotations

import json

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from gantool.errors import GantoolError
from gantool.train import Game, Player, Stage, StepContext
from gantool.train.devices import device_of
from gantool.train.optim import inverse_decay
from gantool_dann.config import DannConfig
from gantool_dann.data import DomainPair, PairDataset, load_pair
from gantool_dann.folders import Domain, has_test_split
from gantool_dann.models import adaptation_weight, build_networks, classify, reverse_gradient

EMBEDDING = "embedding.png"
"""The feature-embedding PNG an evaluation writes beside the weights (in a run folder)."""


@torch.no_grad()
def accuracy(networks: dict[str, nn.Module], domain: Domain, batch: int = 500) -> float:
    """Percentage of `domain`'s images classified as their label (the networks may be on the
    GPU; the images stay on the CPU until their batch is scored)."""
    device = device_of(networks["features"])
    correct = 0
    for images, labels in zip(domain.images.split(batch), domain.labels.split(batch),
                              strict=True):
        correct += int((classify(networks, images.to(device)).argmax(1).cpu() == labels).sum())
    return 100.0 * correct / len(domain.images)


def make_loss(config: DannConfig):
    """The player's loss for the configured mode."""

    def loss(ctx: StepContext) -> tuple[Tensor, dict[str, Tensor | float]]:
        source, source_labels, target, target_labels = ctx.batch
        nets = ctx.networks
        if config.mode == "target-only":
            return F.cross_entropy(classify(nets, target), target_labels), {}
        if config.mode == "source-only":
            return F.cross_entropy(classify(nets, source), source_labels), {}
        features = nets["features"](torch.cat([source, target]))
        label_loss = F.cross_entropy(nets["label"](features[: len(source)]), source_labels)
        weight = config.domain_weight * adaptation_weight(ctx.progress, config.gamma)
        logits = nets["domain"](reverse_gradient(features, weight)).squeeze(1)
        is_target = torch.cat([logits.new_zeros(len(source)), logits.new_ones(len(target))])
        domain_loss = F.binary_cross_entropy_with_logits(logits, is_target)
        domain_acc = ((logits > 0).float() == is_target).float().mean()
        return label_loss + domain_loss, {"label_ce": label_loss, "domain_ce": domain_loss,
                                          "domain_acc": domain_acc, "lambda": weight}

    return loss


def mean_pixel(pair: DomainPair) -> list[float]:
    """Per-channel mean of both domains' training images, weighted equally per domain."""
    return ((pair.source.images.mean((0, 2, 3)) + pair.target.images.mean((0, 2, 3))) / 2
            ).tolist()


def _held_out(config: DannConfig, train: DomainPair) -> dict[str, Domain]:
    """The labelled test splits to score during training, when both folders have one."""
    if not all(has_test_split(root) for root in (config.source, config.target)):
        return {}
    pair = load_pair(config.source, config.target, "test", target_labels=False,
                     size=train.source.size, channels=train.source.channels)
    return {name: domain for name, domain in (("source", pair.source), ("target", pair.target))
            if domain.labels is not None}


def _check_side(side: int, architecture: str) -> None:
    """The padded network's two 2x2 poolings need a side divisible by 4."""
    if architecture == "padded" and side % 4:
        raise GantoolError(f"image side {side} is not divisible by 4; pass --image-size 16 "
                           "or 28")


def build_game(config: DannConfig) -> Game:
    _check_side(config.image_size, config.architecture)
    pair = load_pair(config.source, config.target, "train",
                     target_labels=config.mode == "target-only", size=config.image_size)
    _check_side(pair.source.size, config.architecture)
    held_out = _held_out(config, pair)
    metadata = {"classes": json.dumps(pair.classes), "image_size": str(pair.source.size),
                "channels": str(pair.source.channels), "mode": config.mode}
    if config.centre:
        metadata["input_mean"] = json.dumps(mean_pixel(pair))
    # --momentum is both SGD's momentum (the paper's 0.9) and Adam's beta1 (its usual 0.9).
    player = Player("classifier", ["features", "label", "domain"], make_loss(config),
                    lr=config.lr, optimizer=config.optimizer, momentum=config.momentum,
                    betas=(config.momentum, 0.999), weight_decay=config.weight_decay,
                    lr_schedule=inverse_decay())
    return Game(
        networks=build_networks(config, metadata),
        players=[player],
        stages=[Stage(config.mode, config.steps, [player.name])],
        data=PairDataset(pair, config.seed),
        evaluate=lambda nets: {f"{name}_acc": accuracy(nets, domain)
                               for name, domain in held_out.items()},
        writes=[EMBEDDING],
        export=["features", "label"],
        metadata=metadata,
    )
