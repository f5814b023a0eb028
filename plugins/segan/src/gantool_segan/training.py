"""SegAN and its Dice+BCE baseline as gantool games.

SegAN: the critic C maximises the multi-scale L1 distance between its features of image *
predicted mask and image * true mask; the segmentor S minimises it (plus, optionally, a soft
Dice term). Both masked batches go through C in one forward pass, so batch normalisation sees
the same statistics for both and identical masks give a zero distance. C is constrained either
by clipping its weights (the paper) or by a gradient penalty on the distance as a function of
the masked image (`gantool.regularizers.gradient_penalty`).

Baseline: the same segmentor, data, steps and optimiser, trained on cross-entropy (binary:
BCE) plus the soft Dice loss.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from gantool.errors import GantoolError
from gantool.regularizers import gradient_penalty
from gantool.train import Game, Player, Stage, StepContext
from gantool.train.optim import constant, linear_decay
from gantool_segan.config import SeganConfig
from gantool_segan.data import SegmentationSet, class_count, load_set, stack_pairs
from gantool_segan.inference import segment_with
from gantool_segan.metrics import patient_scores
from gantool_segan.models import (
    Critic,
    build_networks,
    foreground,
    masked,
    multiscale_l1,
    one_hot_foreground,
)
from gantool_segan.patients import (
    SPLIT_FILE,
    Patient,
    is_patient_layout,
    load_patients,
    patient_names,
    split_patients,
    write_split,
)
from gantool_segan.sampling import DrawnSlices, area_weights


def soft_dice_loss(probabilities: Tensor, truth: Tensor, eps: float = 1.0) -> Tensor:
    """1 - soft Dice per foreground class over the whole batch, averaged over classes (a
    batch-level Dice stays defined when some masks are empty)."""
    dims = (0, 2, 3)
    overlap = (probabilities * truth).sum(dims)
    total = probabilities.sum(dims) + truth.sum(dims)
    return (1 - (2 * overlap + eps) / (total + eps)).mean()


def cross_entropy(logits: Tensor, labels: Tensor, classes: int) -> Tensor:
    if classes == 2:
        return F.binary_cross_entropy_with_logits(logits[:, 0], labels.float())
    return F.cross_entropy(logits, labels)


def _prediction(ctx: StepContext, classes: int) -> Tensor:
    """Foreground probabilities of the step's batch, computed once and shared by both players
    (the critic uses them detached, the segmentor with their graph)."""
    return ctx.once("prediction", lambda: foreground(ctx.networks["S"](ctx.batch[0]), classes))


def critic_distance(critic: Critic, images: Tensor, predicted: Tensor, truth: Tensor) -> Tensor:
    """Per-sample multi-scale L1 between C(image * predicted) and C(image * truth)."""
    n = len(images)
    features = critic(torch.cat([masked(images, predicted), masked(images, truth)]))
    return multiscale_l1([f[:n] for f in features], [f[n:] for f in features])


def segan_losses(config: SeganConfig, classes: int):
    """(critic loss, segmentor loss) of the SegAN game."""

    def critic_loss(ctx: StepContext) -> tuple[Tensor, dict[str, Tensor]]:
        images, labels = ctx.batch
        truth = one_hot_foreground(labels, classes)
        predicted = _prediction(ctx, classes).detach()
        critic = ctx.networks["C"]
        distance = critic_distance(critic, images, predicted, truth).mean()
        if config.stabiliser == "clip":
            return -distance, {"distance": distance}
        real_features = [f.detach() for f in critic(masked(images, truth))]
        penalty = gradient_penalty(lambda x: multiscale_l1(critic(x), real_features),
                                   masked(images, truth), masked(images, predicted))
        return -distance + config.gp_weight * penalty, {"distance": distance, "gp": penalty}

    def segmentor_loss(ctx: StepContext) -> tuple[Tensor, dict[str, Tensor]]:
        images, labels = ctx.batch
        truth = one_hot_foreground(labels, classes)
        predicted = _prediction(ctx, classes)
        distance = critic_distance(ctx.networks["C"], images, predicted, truth).mean()
        dice = soft_dice_loss(predicted, truth)
        return distance + config.dice_weight * dice, {"dice_loss": dice.detach()}

    return critic_loss, segmentor_loss


def baseline_loss(classes: int):
    def loss(ctx: StepContext) -> tuple[Tensor, dict[str, Tensor]]:
        images, labels = ctx.batch
        logits = ctx.networks["S"](images)
        ce = cross_entropy(logits, labels, classes)
        dice = soft_dice_loss(foreground(logits, classes), one_hot_foreground(labels, classes))
        return ce + dice, {"ce": ce.detach(), "dice_loss": dice.detach()}

    return loss


def _check(config: SeganConfig) -> None:
    if config.classes == 1:
        raise GantoolError("--classes 1 leaves nothing to segment; pass 2 (binary), more, or 0 "
                           "(from the masks)")
    if config.image_size and config.image_size < 2**config.depth:
        raise GantoolError(f"--image-size {config.image_size} is below the segmentor's "
                           f"2^depth = {2**config.depth}; pass a larger size or a smaller "
                           "--depth")


@dataclass
class Training:
    """What a run trains on and how it is watched: the training pairs and, for patient
    folders, the validation patients scored during training and the split saved with it."""

    data: SegmentationSet
    groups: list[int]
    """Slices per patient, in the order of `data` (one group without patient folders)."""
    validation: list[Patient] = field(default_factory=list)
    split: dict[str, list[str]] | None = None


def training_data(config: SeganConfig) -> Training:
    if not is_patient_layout(config.images):
        data = load_set(config.images, config.masks, config.image_size)
        return Training(data, [len(data)])
    names = patient_names(config.images, config.masks)
    split = split_patients(names, config.seed, config.val_fraction, config.test_fraction)
    train = load_patients(config.images, config.masks, split["train"])
    data = stack_pairs([s for patient in train for s in patient.slices], config.image_size,
                       config.images)
    validation = load_patients(config.images, config.masks, split["val"])
    return Training(data, [len(p.slices) for p in train], validation, split)


def build_game(config: SeganConfig) -> Game:
    _check(config)
    training = training_data(config)
    data = training.data
    classes = class_count(data.labels, config.classes)
    metadata = {"classes": str(classes), "channels": str(data.channels),
                "method": config.method, "image_size": str(config.image_size)}
    networks = build_networks(config, metadata)
    drawn = DrawnSlices(data, area_weights(data.labels, training.groups)
                        if config.sampling == "area" else None, config.augment)
    schedule = linear_decay(config.decay_from) if config.decay_from < 1 else constant
    watch = {}
    if training.split is not None:
        split = training.split
        watch = {"evaluate": lambda nets: validation_dice(nets["S"], training.validation,
                                                          classes, data.channels,
                                                          config.image_size),
                 "on_start": lambda out_dir: write_split(out_dir, split, config.seed),
                 "writes": [SPLIT_FILE]}
    if config.method == "dice-bce":
        return Game(networks={"S": networks["S"]},
                    players=[Player("S", ["S"], baseline_loss(classes), lr=config.lr,
                                    betas=(0.5, 0.999), lr_schedule=schedule)],
                    stages=[Stage(config.method, config.steps, ["S"])],
                    data=drawn, export=["S"], metadata=metadata, **watch)
    critic_loss, segmentor_loss = segan_losses(config, classes)
    clip = config.clip if config.stabiliser == "clip" else None
    return Game(networks=networks,
                players=[Player("C", ["C"], critic_loss, lr=config.lr_critic, betas=(0.5, 0.999),
                                weight_clip=clip, lr_schedule=schedule),
                         Player("S", ["S"], segmentor_loss, lr=config.lr, betas=(0.5, 0.999),
                                lr_schedule=schedule)],
                stages=[Stage(config.method, config.steps, ["C", "S"])],
                data=drawn, export=["S"], metadata=metadata, **watch)


def validation_dice(segmentor: nn.Module, patients: list[Patient], classes: int,
                    channels: int, size: int) -> dict[str, float]:
    """Mean per-patient (3-D) Dice of the foreground on the validation patients."""
    dice = [patient_scores(lambda image: segment_with(segmentor, image, classes, channels,
                                                      size), patient)["dice"]
            for patient in patients]
    return {"val_patient_dice": float(np.mean(dice))}
