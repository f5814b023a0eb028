"""Options of `ssl-gan` and `triple-gan` (no torch import: `--help` is built from these)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from gantool.config import ClassifierRun, TrainerConfig, config, option

DataFormat = Literal["folders", "mnist"]
Output = Literal["sigmoid", "softplus"]
Noise = Literal["normal", "uniform"]


@config(batch_size=100, threads=1, log_every=50, checkpoint_every=1000)
class SemisupConfig(TrainerConfig):
    """What both semi-supervised games share: the data, the labelled subset, the networks.
    A batch is unlabelled (and as many generated) images; small networks run fastest on one
    thread."""

    data: Path = option(help="DIR/<class>/*.png (or DIR/train/<class>/*.png), or with --format "
                             "mnist the folder of the four MNIST idx files (.gz or not)")
    format: DataFormat = option("folders", "image class folders, or MNIST / Fashion-MNIST idx "
                                           "files (never downloaded)")
    labels: int = option(100, "labelled training images, drawn balanced per class from --seed",
                         min=1)
    unlabelled: Path | None = option(None, "folder of unlabelled images (default: DATA/unlabelled "
                                           "if present, else the training images, labels hidden)")
    steps: int = option(1000, "training steps (the digits benchmark's budget; MNIST needs more)",
                        resumable=True, min=1)
    labelled_batch: int = option(100, "labelled images per step, drawn with replacement", min=1)
    lr: float = option(1e-3, "Adam learning rate of every player", above=0)
    beta1: float = option(0.5, "Adam beta1", min=0, max=0.9999)
    widths: tuple[int, ...] = option((500, 250, 250), "hidden layers of the classifier (MLP)",
                                     architecture=True)
    input_noise: float = option(0.3, "std of the Gaussian noise on the classifier's input", min=0)
    hidden_noise: float = option(0.5, "std of the Gaussian noise after each hidden layer", min=0)
    weight_norm: bool = option(True, "weight normalisation of the classifier's layers",
                               architecture=True)
    hidden_gains: bool = option(True, "train the weight-normalised hidden layers' gains (the K+1 "
                                      "paper's code keeps them fixed: false)")
    z_dim: int = option(100, "generator noise dimension", min=1, architecture=True)
    g_width: int = option(500, "hidden units of the generator's two layers", min=1,
                          architecture=True)
    g_output: Output = option("sigmoid", "the generator's output activation")
    z_noise: Noise = option("normal", "distribution of the generator's noise: N(0, 1) or "
                                      "U(0, 1)")


@config
class SslGanConfig(SemisupConfig):
    hidden_gains: bool = option(False, "train the weight-normalised hidden layers' gains (the "
                                       "K+1 paper's code keeps them fixed: false)")
    g_output: Output = option("softplus", "the generator's output activation (softplus: "
                                          "feature matching keeps up with the critic on MNIST; "
                                          "a sigmoid generator lets the critic win early)")
    z_noise: Noise = option("uniform", "distribution of the generator's noise: N(0, 1) or "
                                       "U(0, 1) (the K+1 paper's code: uniform)")
    unsupervised_weight: float = option(1.0, "weight of the real-vs-fake loss on the K logits",
                                        min=0)
    supervised_only: bool = option(False, "train the same classifier on the labels alone "
                                          "(the baseline: no generator, no unlabelled data)")


@config
class TripleGanConfig(SemisupConfig):
    alpha: float = option(0.5, "share of the classifier's pairs among the discriminator's "
                               "fakes (the rest are generated pairs)", min=0, max=1)
    pseudo_weight: float = option(0.1, "weight of the pseudo-discriminative loss: the "
                                       "classifier labels generated pairs", min=0)
    pseudo_start: float = option(0.5, "fraction of training after which that loss starts "
                                       "(once the generator is reasonable)", min=0, max=1)
    entropy_weight: float = option(0.3, "weight of the entropy of the classifier's predictions "
                                        "on unlabelled images (the authors' MNIST code: 0.3)",
                                   min=0)
    d_widths: tuple[int, ...] = option((500, 250), "hidden layers of the pair discriminator (MLP)",
                                       architecture=True)


@dataclass(kw_only=True)
class SemisupEval:
    weights: Path = option(help="model.safetensors written by `gantool train ssl-gan|triple-gan`")
    data: Path | None = option(None, "labelled held-out images: DIR/test/<class>/ or "
                                     "DIR/<class>/ (default: the training data's test split)")
    format: DataFormat | None = option(None, "folders or mnist (default: the training run's)")
    confusion: Path | None = option(None, "confusion-matrix PNG (default: confusion.png beside "
                                          "--weights)")


@dataclass(kw_only=True)
class SemisupRun(ClassifierRun):
    weights: Path | None = option(None, "model.safetensors written by `gantool train "
                                        "ssl-gan|triple-gan` (default for ssl-gan: the shipped "
                                        "MNIST classifier; triple-gan ships none)")
