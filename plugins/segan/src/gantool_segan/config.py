"""Options of the `segan` task (no torch import: `--help` is built from these)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from gantool.config import RunOptions, TrainerConfig, config, option

Method = Literal["segan", "dice-bce"]
Stabiliser = Literal["clip", "gp"]
Sampling = Literal["uniform", "area"]
MAX_CLASSES = 32
"""Largest number of classes an indexed mask may hold (values 0..MAX_CLASSES-1)."""


@config(batch_size=16, log_every=50, threads=1, gpu={"batch_size": 64})
class SeganConfig(TrainerConfig):
    images: Path = option(help="folder of training images (PNG, greyscale or colour), or of "
                               "one folder per patient (split by patient)")
    masks: Path = option(help="folder of masks named like the images: binary (0/255 or 0/1) "
                              "or indexed (class numbers 0..K-1, or a palette PNG)")
    method: Method = option("segan", "segan (segmentor-critic game, multi-scale L1 loss) or "
                                     "dice-bce (the baseline: same segmentor, Dice + "
                                     "cross-entropy)")
    steps: int = option(1500, "training steps", resumable=True, min=1)
    image_size: int = option(0, "resize images (bilinear) and masks (nearest) to this side "
                                "(0 = keep; all images must then share one size)", min=0,
                             architecture=True)
    classes: int = option(0, "classes including background (0 = highest mask label + 1; "
                             "2 = binary, sigmoid head; more = softmax head)", min=0,
                          max=MAX_CLASSES, architecture=True)
    base: int = option(16, "segmentor channels at the first level (doubling per level, up "
                           "to 8x)", min=1, architecture=True)
    depth: int = option(4, "segmentor levels (each halves the resolution)", min=1,
                        architecture=True)
    critic_base: int = option(16, "critic channels at the first level", min=1, architecture=True)
    critic_depth: int = option(3, "critic levels: the multi-scale loss compares the masked "
                                  "image and these feature maps", min=1, architecture=True)
    lr: float = option(1e-3, "segmentor learning rate (Adam)", above=0)
    lr_critic: float = option(1e-3, "critic learning rate (Adam)", above=0)
    dice_weight: float = option(0.0, "segan: weight of a soft Dice term added to the "
                                     "segmentor's loss (0 = the paper: critic gradients only)",
                                min=0)
    sampling: Sampling = option("uniform", "how training slices are drawn: uniform (each "
                                           "slice once per epoch) or area (a patient at "
                                           "random, then its slices in proportion to their "
                                           "mask area, as Buda et al.)")
    augment: bool = option(False, "augment each drawn slice: horizontal flip, rotation within "
                                  "15 degrees, scaling within 5 %")
    decay_from: float = option(1.0, "share of the steps after which the learning rates fall "
                                     "linearly to zero (1 = constant)", above=0, max=1)
    stabiliser: Stabiliser = option("clip", "critic constraint: clip (weights to "
                                            "[-clip, clip], as the paper) or gp (gradient "
                                            "penalty)")
    clip: float = option(0.05, "weight-clipping bound of the critic", above=0)
    gp_weight: float = option(10.0, "gradient-penalty weight", min=0)
    val_fraction: float = option(0.1, "patient folders: share of patients held out for "
                                      "validation during training", min=0, max=0.5)
    test_fraction: float = option(0.2, "patient folders: share of patients held out for "
                                       "`gantool eval` (never trained or validated on)",
                                  min=0, max=0.5)


@dataclass(kw_only=True)
class SeganEval:
    images: Path = option(help="folder of held-out images")
    masks: Path = option(help="folder of their ground-truth masks (same names)")
    weights: Path | None = option(None, "model.safetensors (default: the shipped FLAIR "
                                        "brain-tumour model)")
    baseline: Path | None = option(None, "a second model.safetensors to score side by side "
                                         "(for example a dice-bce run)")
    split: Literal["test", "val", "train", "all"] = option(
        "test", "patient folders: which patients of the run's split.json to score (all: "
                "every patient folder)")
    threshold: float | None = option(None, "binary models: foreground when the probability "
                                           "is above this (default: the threshold the model "
                                           "was calibrated to on validation patients, else "
                                           "0.5)", min=0, max=1)
    largest_region: bool = option(False, "patient folders: keep only the largest connected "
                                         "tumour region of each patient's volume")


@dataclass(kw_only=True)
class SeganRun(RunOptions):
    weights: Path | None = option(None, "model.safetensors (default: the shipped FLAIR "
                                        "brain-tumour model)")
    threshold: float | None = option(None, "binary models: foreground when the probability "
                                           "is above this (default: the threshold the model "
                                           "was calibrated to on validation patients, else "
                                           "0.5)", min=0, max=1)
    alpha: float = option(0.45, "opacity of the mask colour in the overlay", min=0, max=1)
