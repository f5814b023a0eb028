"""Options of the `dann` task (no torch import: `--help` is built from these)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from gantool.config import ClassifierRun, TrainerConfig, config, option

Mode = Literal["dann", "source-only", "target-only"]


@config(batch_size=32, checkpoint_every=1000, log_every=50, threads=1,
        gpu={"batch_size": 128})
class DannConfig(TrainerConfig):
    """Each batch holds `batch_size` source and `batch_size` target images."""

    source: Path = option(help="labelled source domain: DIR/<class>/*.png (or DIR/train/<class>)")
    target: Path = option(help="target domain: DIR/*.png, DIR/<class>/*.png or DIR/train/...")
    mode: Mode = option("dann", "dann; source-only (baseline); target-only (labelled target, "
                                "the upper bound)")
    steps: int = option(2000, "training steps", resumable=True, min=1)
    image_size: int = option(0, "side images are resized to (0 = the target's size)", min=0,
                             architecture=True)
    lr: float = option(1e-3, "initial learning rate mu_0, annealed as mu_0 / (1 + 10 p)^0.75",
                       above=0)
    optimizer: Literal["adam", "sgd"] = option(
        "adam", "adam (better on a short budget, see the README) or sgd (the paper: lr 0.01)")
    momentum: float = option(0.9, "SGD momentum, or Adam's beta1", min=0, max=0.999)
    weight_decay: float = option(5e-4, "L2 weight decay", min=0)
    domain_weight: float = option(1.0, "maximum gradient-reversal coefficient lambda", min=0)
    gamma: float = option(10.0, "lambda_p = 2 / (1 + exp(-gamma p)) - 1", min=0)
    architecture: Literal["padded", "paper"] = option(
        "padded", "padded: 3x3 padded convolutions, any side divisible by 4; paper: Ganin et "
                  "al.'s MNIST network, 5x5 unpadded convolutions (28x28 -> 4x4 features)",
                                                      architecture=True)
    batch_norm: bool = option(False, "batch normalisation after each convolution (as public "
                                     "re-implementations add; the paper has none)",
                              architecture=True)
    centre: bool = option(False, "subtract the mean pixel of both training domains from every "
                                 "input (as public re-implementations do)", architecture=True)
    first: int = option(32, "channels of the first convolution", min=1, architecture=True)
    features: int = option(48, "channels of the last convolution", min=1, architecture=True)
    dropout: float = option(0.0, "dropout probability on the feature maps (channel-wise) and "
                                 "on the label classifier's hidden units (public "
                                 "re-implementations: 0.5; the paper has none)", min=0, max=0.9,
                            architecture=True)
    hidden: int = option(100, "hidden units of the label and domain classifiers", min=1,
                         architecture=True)


@dataclass(kw_only=True)
class DannEval:
    weights: Path = option(help="model.safetensors written by `gantool train dann`")
    source: Path | None = option(None, "labelled source domain, its test/ split when it has "
                                       "one (default: the one the model was trained on)")
    target: Path | None = option(None, "labelled target domain, its test/ split when it has "
                                       "one (default: the one the model was trained on)")
    baseline: Path | None = option(None, "a source-only model.safetensors: the 'before "
                                         "adaptation' features (default: raw pixels)")
    plot: Path | None = option(None, "embedding PNG (default: embedding.png beside --weights)")
    embedding: Literal["tsne", "pca"] = option("tsne", "2-D embedding of the features")
    points: int = option(500, "images per domain in the plot and the proxy A-distance", min=2)
    seed: int = option(0, "seed of the subsampling, the embedding and the domain classifier",
                       min=0)


@dataclass(kw_only=True)
class DannRun(ClassifierRun):
    weights: Path | None = option(None, "model.safetensors written by `gantool train dann` "
                                        "(default: the shipped MNIST -> MNIST-M model)")
