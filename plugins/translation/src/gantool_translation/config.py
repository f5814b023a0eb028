"""Options of the `pix2pix` and `cyclegan` tasks (no torch import: `--help` is built from these)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from gantool.config import RunOptions, TrainerConfig, config, option

Pix2PixLoss = Literal["l1+cgan", "l1", "cgan"]
Direction = Literal["AtoB", "BtoA"]
Extractor = Literal["random-conv", "inception"]
ColourSpace = Literal["auto", "lab", "rgb"]
Upsample = Literal["transpose", "resize"]
UPSAMPLE_HELP = ("generator upsampling: transpose (stride-2 transposed convolutions, as the "
                 "papers) or resize (nearest-neighbour resize then a 3x3 convolution, free of "
                 "checkerboard artefacts)")


@config(batch_size=8, checkpoint_every=1000, log_every=50, threads=1,
        gpu={"batch_size": 32, "num_workers": 4})
class Pix2PixConfig(TrainerConfig):
    data: Path = option(help="paired data: DIR/train/ (and DIR/test/) of side-by-side A|B "
                             "images, or of A/ and B/ folders with matching file names")
    direction: Direction = option("AtoB", "AtoB: translate the left/A image into the right/B one",
                                  architecture=True)
    loss: Pix2PixLoss = option("l1+cgan", "l1+cgan (pix2pix); l1 or cgan alone (ablations)")
    l1_weight: float = option(100.0, "lambda of the L1 term", min=0)
    steps: int = option(3000, "training steps", resumable=True, min=1)
    image_size: int = option(64, "side training pairs are resized to (a multiple of 2^depth)",
                             architecture=True)
    ngf: int = option(16, "generator channels of the first level", min=1, architecture=True)
    ndf: int = option(32, "discriminator channels of the first layer", min=1, architecture=True)
    depth: int = option(6, "U-Net levels (the input side must divide by 2^depth)", min=1,
                        architecture=True)
    d_layers: int = option(1, "PatchGAN stride-2 layers: receptive field 9 * 2^n - 2 pixels "
                              "(the paper's 70x70 at 256 px is 3; 1 = 16x16 is that share of "
                              "a 64 px image)", min=0, architecture=True)
    jitter: bool = option(True, "the paper's augmentation: pairs loaded at 286/256 of "
                                "--image-size, random crops of it and random flips")
    upsample: Upsample = option("transpose", UPSAMPLE_HELP, architecture=True)
    dropout: bool = option(True, "dropout in the three innermost decoder levels, the noise of "
                                 "pix2pix, kept at test time", architecture=True)
    colour_space: ColourSpace = option(
        "auto", "lab: a grey -> colour model predicts only the chroma (CIE a*, b*) and keeps "
                "the input as lightness, as pix2pix colourises; rgb: it predicts all output "
                "channels; auto: lab for 1 -> 3 channels, else rgb", architecture=True)
    lr: float = option(2e-4, "Adam learning rate of both players (beta1 0.5)", above=0)


@config(batch_size=4, checkpoint_every=1000, log_every=50, threads=1,
        gpu={"batch_size": 8, "num_workers": 4})
class CycleGANConfig(TrainerConfig):
    data: Path = option(help="unpaired data: DIR/trainA/ and DIR/trainB/ (and testA/, testB/), "
                             "or DIR/A/ and DIR/B/")
    cycle_weight: float = option(10.0, "lambda of the cycle-consistency L1 (0: the ablation "
                                       "without cycle loss)", min=0)
    identity_weight: float = option(0.5, "identity L1 weight, as a fraction of lambda", min=0)
    pool_size: int = option(50, "generated images in each discriminator's history pool", min=0)
    steps: int = option(3000, "training steps; the learning rate decays linearly to 0 over "
                              "the second half", min=1)
    image_size: int = option(64, "side training images are resized to (a multiple of 4)",
                             architecture=True)
    ngf: int = option(16, "generator channels of the first layer", min=1, architecture=True)
    ndf: int = option(32, "discriminator channels of the first layer", min=1, architecture=True)
    blocks: int = option(4, "residual blocks of each generator (the paper: 6 at 128 px)", min=0,
                         architecture=True)
    d_layers: int = option(1, "PatchGAN stride-2 layers: receptive field 9 * 2^n - 2 pixels "
                              "(1 = 16x16 at 64 px, the paper's 70x70 at 256 px scaled)", min=0,
                           architecture=True)
    upsample: Upsample = option("resize", UPSAMPLE_HELP + " (default resize: on facades it "
                                "scored both less checkerboard and a lower KID)",
                                architecture=True)
    jitter: bool = option(True, "the paper's augmentation: images loaded at 286/256 of "
                                "--image-size, random crops of it and random flips")
    lr: float = option(2e-4, "Adam learning rate (beta1 0.5)", above=0)


@dataclass(kw_only=True)
class TranslationRun(RunOptions):
    direction: Direction = option("AtoB", "which generator to apply (cyclegan has both; a "
                                          "pix2pix model only the direction it was trained in)")
    convert: bool = option(False, "convert inputs to the channels the model takes (colour -> "
                                  "grey by luma, grey -> colour by repetition) instead of refusing")
    max_pixels: int = option(100_000_000, "refuse inputs with more pixels than this (0: no "
                                          "limit)", min=0)
    side: int | None = option(None, "translate at this shorter side (the output is brought "
                                    "back to the input's size; default: the side the model "
                                    "trained at; 0: the input's own size)", min=0)


@dataclass(kw_only=True)
class Pix2PixRun(TranslationRun):
    direction: Direction | None = option(None, "the direction to translate (default: the one "
                                               "the model was trained in, read from its file)")

    def __post_init__(self) -> None:
        """A pix2pix model knows one direction: take it from the weights' header, so
        `gantool run pix2pix` works on the shipped labels -> photo model as it is."""
        if self.direction is None:
            import json

            from gantool.metadata import read_metadata
            from gantool_translation.shipped import PIX2PIX_WEIGHTS

            directions = read_metadata(self.weights or PIX2PIX_WEIGHTS).get("directions")
            self.direction = json.loads(directions)[0] if directions else "AtoB"


@dataclass(kw_only=True)
class Pix2PixEval:
    weights: Path = option(help="model.safetensors written by `gantool train pix2pix`")
    data: Path | None = option(None, "paired data whose test/ split is scored (default: the "
                                     "training data's)")
    extractor: Extractor = option("random-conv", "features of the distribution metric (KID): "
                                                 "random-conv (offline) or inception")
    inception_weights: Path | None = option(None, "Inception-v3 state dict for "
                                                  "--extractor inception")
    seed: int = option(0, "seed of the dropout noise and of KID's subsets", min=0)


@dataclass(kw_only=True)
class CycleGANEval:
    weights: Path = option(help="model.safetensors written by `gantool train cyclegan`")
    data: Path | None = option(None, "unpaired data whose testA/ and testB/ are scored "
                                     "(default: the training data's)")
    extractor: Extractor = option("random-conv", "features of the distribution metric (KID): "
                                                 "random-conv (offline) or inception")
    inception_weights: Path | None = option(None, "Inception-v3 state dict for "
                                                  "--extractor inception")
    seed: int = option(0, "seed of KID's subsets", min=0)
