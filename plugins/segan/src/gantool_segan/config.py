"""Options of the `segan` task (no torch import: `--help` is built from these)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from gantool.config import RunOptions, TrainerConfig, option

Method = Literal["segan", "dice-bce"]
Stabiliser = Literal["clip", "gp"]


@dataclass(kw_only=True)
class SeganConfig(TrainerConfig):
    images: Path = option(help="folder of training images (PNG, greyscale or colour)")
    masks: Path = option(help="folder of masks named like the images: binary (0/255 or 0/1) "
                              "or indexed (class numbers 0..K-1, or a palette PNG)")
    method: Method = option("segan", "segan (segmentor-critic game, multi-scale L1 loss) or "
                                     "dice-bce (the baseline: same segmentor, Dice + "
                                     "cross-entropy)")
    steps: int = option(1500, "training steps", resumable=True)
    batch_size: int = option(16, "images per batch")
    image_size: int = option(0, "resize images (bilinear) and masks (nearest) to this side "
                                "(0 = keep; all images must then share one size)")
    classes: int = option(0, "classes including background (0 = highest mask label + 1; "
                             "2 = binary, sigmoid head; more = softmax head)")
    base: int = option(16, "segmentor channels at the first level (doubling per level, up "
                           "to 8x)")
    depth: int = option(4, "segmentor levels (each halves the resolution)")
    critic_base: int = option(16, "critic channels at the first level")
    critic_depth: int = option(3, "critic levels: the multi-scale loss compares the masked "
                                  "image and these feature maps")
    lr: float = option(1e-3, "segmentor learning rate (Adam)")
    lr_critic: float = option(1e-3, "critic learning rate (Adam)")
    dice_weight: float = option(0.0, "segan: weight of a soft Dice term added to the "
                                     "segmentor's loss (0 = the paper: critic gradients only)")
    stabiliser: Stabiliser = option("clip", "critic constraint: clip (weights to "
                                            "[-clip, clip], as the paper) or gp (gradient "
                                            "penalty)")
    clip: float = option(0.05, "weight-clipping bound of the critic")
    gp_weight: float = option(10.0, "gradient-penalty weight")
    checkpoint_every: int = option(500, "save a resumable checkpoint every N steps")
    log_every: int = option(50, "write a JSON-lines log record every N steps")
    threads: int = option(1, "torch CPU threads (small networks: more threads add overhead)")


@dataclass(kw_only=True)
class SeganEval:
    images: Path = option(help="folder of held-out images")
    masks: Path = option(help="folder of their ground-truth masks (same names)")
    weights: Path | None = option(None, "model.safetensors (default: the shipped phantom "
                                        "model)")
    baseline: Path | None = option(None, "a second model.safetensors to score side by side "
                                         "(for example a dice-bce run)")
    threshold: float = option(0.5, "binary models: foreground when the probability is above "
                                   "this")


@dataclass(kw_only=True)
class SeganRun(RunOptions):
    weights: Path | None = option(None, "model.safetensors (default: the shipped phantom "
                                        "model)")
    threshold: float = option(0.5, "binary models: foreground when the probability is above "
                                   "this")
    alpha: float = option(0.45, "opacity of the mask colour in the overlay")
