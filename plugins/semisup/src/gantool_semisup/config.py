"""Options of `ssl-gan` and `triple-gan` (no torch import: `--help` is built from these)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from gantool.config import RunOptions, TrainerConfig, option

DataFormat = Literal["folders", "mnist"]


@dataclass(kw_only=True)
class SemisupConfig(TrainerConfig):
    """What both semi-supervised games share: the data, the labelled subset, the networks."""

    data: Path = option(help="DIR/<class>/*.png (or DIR/train/<class>/*.png), or an MNIST root "
                             "holding MNIST/raw/*-idx*-ubyte with --format mnist")
    format: DataFormat = option("folders", "image class folders, or MNIST idx files "
                                           "(read by torchvision, never downloaded)")
    labels: int = option(100, "labelled training images, drawn balanced per class from --seed")
    unlabelled: Path | None = option(None, "folder of unlabelled images (default: DATA/unlabelled "
                                           "if present, else the training images, labels hidden)")
    steps: int = option(1000, "training steps (the digits benchmark's budget; MNIST needs more)",
                        resumable=True)
    batch_size: int = option(100, "unlabelled (and generated) images per step")
    labelled_batch: int = option(100, "labelled images per step, drawn with replacement")
    lr: float = option(1e-3, "Adam learning rate of every player")
    beta1: float = option(0.5, "Adam beta1")
    widths: tuple[int, ...] = option((500, 250, 250), "hidden layers of the classifier (MLP)")
    input_noise: float = option(0.3, "std of the Gaussian noise on the classifier's input")
    hidden_noise: float = option(0.5, "std of the Gaussian noise after each hidden layer")
    weight_norm: bool = option(True, "weight normalisation of the classifier's layers")
    z_dim: int = option(100, "generator noise dimension")
    g_width: int = option(500, "hidden units of the generator's two layers")
    threads: int = option(1, "torch CPU threads (small networks: more threads add overhead)")
    log_every: int = option(50, "write a JSON-lines log record every N steps")
    checkpoint_every: int = option(1000, "save a resumable checkpoint every N steps")


@dataclass(kw_only=True)
class SslGanConfig(SemisupConfig):
    unsupervised_weight: float = option(1.0, "weight of the real-vs-fake loss on the K logits")
    supervised_only: bool = option(False, "train the same classifier on the labels alone "
                                          "(the baseline: no generator, no unlabelled data)")


@dataclass(kw_only=True)
class TripleGanConfig(SemisupConfig):
    alpha: float = option(0.5, "share of the classifier's pairs among the discriminator's "
                               "fakes (the rest are generated pairs)")
    pseudo_weight: float = option(0.1, "weight of the pseudo-discriminative loss: the "
                                       "classifier labels generated pairs")
    pseudo_start: float = option(0.5, "fraction of training after which that loss starts "
                                       "(once the generator is reasonable)")
    entropy_weight: float = option(0.3, "weight of the entropy of the classifier's predictions "
                                        "on unlabelled images (the authors' MNIST code: 0.3)")
    d_widths: tuple[int, ...] = option((500, 250), "hidden layers of the pair discriminator (MLP)")


@dataclass(kw_only=True)
class SemisupEval:
    weights: Path = option(help="model.safetensors written by `gantool train ssl-gan|triple-gan`")
    data: Path | None = option(None, "labelled held-out images: DIR/test/<class>/ or "
                                     "DIR/<class>/ (default: the training data's test split)")
    format: DataFormat | None = option(None, "folders or mnist (default: the training run's)")
    confusion: Path | None = option(None, "confusion-matrix PNG (default: confusion.png beside "
                                          "--weights)")


@dataclass(kw_only=True)
class SemisupRun(RunOptions):
    weights: Path = option(help="model.safetensors written by `gantool train ssl-gan|triple-gan` "
                                "(these tasks ship no model)")
    json: bool = option(False, "print JSON instead of a table")
