"""DCGAN (Radford et al. 2016) on scikit-learn's 8x8 digits, upsampled to 16x16 or 32x32.

Scored like an image GAN, but at a size a CPU trains in minutes: FID, KID and 1-NN accuracy
of generated digits against 500 held-out real digits, in the feature space of a small digit
classifier trained on the training split. The same numbers for real training digits against
the held-out ones are the floor a perfect generator would reach, so every score has a
reference.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch.utils.data import TensorDataset

from gantool.data import digits as digit_data
from gantool.demos.digits_config import DigitsConfig, DigitsEval
from gantool.losses import get_objective
from gantool.metrics import extract_features, fid, kid, one_nn_accuracy
from gantool.models import load_model
from gantool.report import Table
from gantool.train import Game, Player, Stage
from gantool.train.standard import gan_losses

CLASSES = 10
FEATURES = 64
GRID_TILE = 64
"""Pixels per digit in sample grids (nearest-neighbour zoom, so single pixels stay visible)."""


# ------------------------------------------------------------------------------------- data
@dataclass(frozen=True)
class DigitSplit:
    """Images in [0, 1], N x 1 x S x S, with their labels."""

    train: Tensor
    train_labels: Tensor
    held_out: Tensor
    held_out_labels: Tensor


@cache
def load_split(image_size: int, split_seed: int) -> DigitSplit:
    """The stratified split of `gantool.data.digits`, bilinearly upsampled to `image_size`."""
    images, labels = digit_data.load()
    train, held_out = digit_data.split(labels, split_seed)
    x = F.interpolate(torch.from_numpy(images)[:, None], size=(image_size, image_size),
                      mode="bilinear", align_corners=False).clamp(0.0, 1.0)
    y = torch.from_numpy(labels)
    return DigitSplit(x[train], y[train], x[held_out], y[held_out])


# --------------------------------------------------------------------------------- networks
def _dcgan_init(module: nn.Module) -> None:
    """DCGAN's initialisation: conv weights N(0, 0.02), batch-norm scales N(1, 0.02)."""
    if isinstance(module, nn.Conv2d | nn.ConvTranspose2d):
        nn.init.normal_(module.weight, 0.0, 0.02)
    elif isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)


def _doublings(image_size: int) -> int:
    """How many stride-2 layers lie between the 4x4 core and the image."""
    return int(math.log2(image_size // 4))


def generator(z_dim: int, width: int, image_size: int) -> nn.Sequential:
    """Noise (N x z) -> 4x4 by a transposed conv, then stride-2 transposed convs with batch norm
    and ReLU, halving channels as the side doubles; tanh output in [-1, 1]."""
    channels = width * 2 ** (_doublings(image_size) - 1)
    layers: list[nn.Module] = [
        nn.Unflatten(1, (z_dim, 1, 1)),
        nn.ConvTranspose2d(z_dim, channels, 4, 1, 0, bias=False),
        nn.BatchNorm2d(channels), nn.ReLU(),
    ]
    for _ in range(_doublings(image_size) - 1):
        layers += [nn.ConvTranspose2d(channels, channels // 2, 4, 2, 1, bias=False),
                   nn.BatchNorm2d(channels // 2), nn.ReLU()]
        channels //= 2
    layers += [nn.ConvTranspose2d(channels, 1, 4, 2, 1), nn.Tanh()]
    net = nn.Sequential(*layers)
    net.apply(_dcgan_init)
    return net


def critic(width: int, image_size: int) -> nn.Sequential:
    """Image -> one logit: stride-2 convs with leaky ReLU (batch norm after the first, as in
    DCGAN), doubling channels down to 4x4, then a 4x4 conv."""
    layers: list[nn.Module] = [nn.Conv2d(1, width, 4, 2, 1), nn.LeakyReLU(0.2)]
    channels = width
    for _ in range(_doublings(image_size) - 1):
        layers += [nn.Conv2d(channels, 2 * channels, 4, 2, 1, bias=False),
                   nn.BatchNorm2d(2 * channels), nn.LeakyReLU(0.2)]
        channels *= 2
    layers += [nn.Conv2d(channels, 1, 4, 1, 0), nn.Flatten()]
    net = nn.Sequential(*layers)
    net.apply(_dcgan_init)
    return net


def generate(net: nn.Module, n: int, z_dim: int, seed: int) -> Tensor:
    """`n` images in [0, 1] on the CPU from seeded noise (call in eval mode, without grad)."""
    noise = torch.randn(n, z_dim, generator=torch.Generator().manual_seed(seed))
    out = net(noise.to(next(net.parameters()).device))
    return ((out.float().cpu() + 1.0) / 2.0).clamp(0.0, 1.0)


def save_grid(images: Tensor, path: Path) -> None:
    """An 8-wide grid of `images` (in [0, 1]) as a PNG."""
    from torchvision.utils import save_image  # slow to import: only when a grid is written

    zoom = max(1, GRID_TILE // images.shape[-1])
    save_image(F.interpolate(images, scale_factor=zoom, mode="nearest"), path, nrow=8,
               padding=2, pad_value=0.5)


# ---------------------------------------------------------------- the feature extractor
class DigitClassifier(nn.Module):
    """Two conv layers and a 64-unit hidden layer: the hidden layer is the feature space."""

    def __init__(self) -> None:
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveMaxPool2d(4),
            nn.Flatten(), nn.Linear(32 * 16, FEATURES), nn.ReLU(),
        )
        self.head = nn.Linear(FEATURES, CLASSES)

    def forward(self, x: Tensor) -> Tensor:
        return self.head(self.body(x))


class ClassifierFeatures:
    """A `FeatureExtractor`: the hidden layer of a `DigitClassifier` trained on the training
    split (a digit-specific embedding means something for 16x16 greyscale digits, where an
    ImageNet network's does not), divided by its RMS on the training digits so that KID's
    polynomial kernel sees values of order one, the scale it was designed for."""

    def __init__(self, model: DigitClassifier, name: str, accuracy: float, scale: float) -> None:
        self.model = model.eval().requires_grad_(False)
        self.name = name
        self.accuracy = accuracy  # held out: how much the feature space knows about digits
        self.scale = scale

    def __call__(self, images: Tensor) -> Tensor:
        with torch.no_grad():
            return self.model.body(images.float().cpu()) / self.scale


@contextmanager
def _one_thread() -> Iterator[None]:
    """Tiny networks train fastest on one thread: more only adds synchronisation."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def train_classifier(split: DigitSplit, seed: int, epochs: int = 15) -> ClassifierFeatures:
    """Train on the training split only (a few seconds), in a forked RNG so that a GAN run's
    random stream, and hence its exact resumption, does not depend on when it first evaluates
    (evaluation runs under `no_grad`, hence `enable_grad`)."""
    with torch.random.fork_rng(devices=[]), _one_thread(), torch.enable_grad():
        torch.manual_seed(seed)
        model = DigitClassifier()
        optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
        for _ in range(epochs):
            for batch in torch.randperm(len(split.train)).split(64):
                loss = F.cross_entropy(model(split.train[batch]), split.train_labels[batch])
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
        model.eval()
        with torch.no_grad():
            accuracy = (model(split.held_out).argmax(1) == split.held_out_labels).float().mean()
            scale = model.body(split.train).pow(2).mean().sqrt()
    size = split.train.shape[-1]
    name = f"digits-cnn{FEATURES}-{size}px-split{seed}"
    return ClassifierFeatures(model, name, accuracy.item(), scale.item())


# ------------------------------------------------------------------------------- scoring
class DigitScorer:
    """FID, KID and 1-NN accuracy of image sets against the held-out digits.

    Every set scored has as many images as the held-out split, so FID's small-sample bias and
    1-NN's 0.5 baseline are the same for generated and real rows.
    """

    def __init__(self, image_size: int, split_seed: int) -> None:
        self.split = load_split(image_size, split_seed)
        self.split_seed = split_seed
        self.features = train_classifier(self.split, split_seed)
        self.held_out = extract_features(self.features, self.split.held_out)

    @property
    def size(self) -> int:
        return len(self.split.held_out)

    def score(self, images: Tensor) -> dict[str, float]:
        fake = extract_features(self.features, images)
        # Equal set sizes make KID's one subset the whole sets: the exact unbiased MMD^2.
        kid_value, _ = kid(self.held_out, fake, subsets=1, subset_size=self.size)
        return {"fid": fid(self.held_out, fake), "kid": kid_value,
                "one_nn": one_nn_accuracy(self.held_out, fake)}

    def real_reference(self) -> dict[str, float]:
        """Scores of a held-out-sized random subset of the real training digits."""
        generator = torch.Generator().manual_seed(self.split_seed)
        subset = torch.randperm(len(self.split.train), generator=generator)[: self.size]
        return self.score(self.split.train[subset])


@cache
def scorer(image_size: int, split_seed: int) -> DigitScorer:
    """One scorer (and one classifier training) per process and setting."""
    return DigitScorer(image_size, split_seed)


# ---------------------------------------------------------------------------------- task
def build_networks(config: DigitsConfig, metadata: dict[str, str]) -> dict[str, nn.Module]:
    return {"G": generator(config.z_dim, config.width, config.image_size),
            "D": critic(config.width, config.image_size)}


def smoke(folder: Path) -> dict[str, object]:
    """A few steps of small networks: the fake-GPU test and the GPU smoke run."""
    return {"steps": 4, "batch_size": 16, "width": 8, "z_dim": 8}


def build_game(config: DigitsConfig) -> Game:
    objective = get_objective(config.objective)
    split = load_split(config.image_size, config.split_seed)

    critic_loss, generator_loss = gan_losses(objective, config.z_dim)

    def evaluate(nets: dict[str, nn.Module]) -> dict[str, float]:
        scores = scorer(config.image_size, config.split_seed)
        images = generate(nets["G"], scores.size, config.z_dim, config.seed)
        return {**scores.score(images), "classifier_accuracy": scores.features.accuracy}

    betas = (config.beta1, 0.999)
    return Game(
        networks=build_networks(config, {}),
        players=[Player("D", ["D"], critic_loss, lr=config.lr_d, betas=betas),
                 Player("G", ["G"], generator_loss, lr=config.lr_g, betas=betas)],
        stages=[Stage("adversarial", config.steps, ["D", "G"])],
        data=TensorDataset(split.train * 2.0 - 1.0),
        evaluate=evaluate,
        snapshot=lambda nets, path: save_grid(
            generate(nets["G"], 64, config.z_dim, config.seed), path),
        ema=["G"],
        export=["G"],
    )


def evaluate(options: DigitsEval) -> list[Table]:
    model = load_model(options.weights, "digits")
    config = model.config
    scores = scorer(config.image_size, config.split_seed)
    with torch.no_grad():
        images = generate(model["G"], scores.size, config.z_dim, options.seed)
    rows = [(f"generated (step {model.metadata.get('step', '?')})", scores.score(images)),
            (f"real training digits ({scores.size} of {len(scores.split.train):,})",
             scores.real_reference())]
    return [Table(
        f"DCGAN on digits: {options.weights}",
        [f"vs {scores.size} held-out digits", "FID", "KID", "1-NN accuracy", "extractor"],
        [[label, s["fid"], s["kid"], s["one_nn"], scores.features.name] for label, s in rows],
        [f"Extractor's held-out classification accuracy: {scores.features.accuracy:.1%}. "
         "Lower FID/KID is better; 1-NN accuracy 0.5 means indistinguishable from held-out "
         "digits, 1.0 fully separable."],
    )]
