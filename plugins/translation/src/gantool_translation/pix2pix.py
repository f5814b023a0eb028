"""pix2pix (Isola et al. 2017) as a gantool game: a conditional GAN plus lambda * L1.

The critic scores (input, output) pairs patch by patch, so it judges whether the output is a
plausible translation *of this input*; the L1 term keeps the output close to the ground truth
at low frequencies, the critic adds the high-frequency detail L1 averages away. The ablations
drop one of the two terms: `l1` trains the generator alone, `cgan` sets lambda to 0.
"""

from __future__ import annotations

import json

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from gantool.errors import GantoolError
from gantool.losses import get_objective
from gantool.train import Game, Player, Stage, StepContext
from gantool.train.devices import device_of
from gantool_translation.config import Pix2PixConfig
from gantool_translation.data import (
    PairedDataset,
    Pairs,
    has_test_split,
    jitter_size,
    load_pairs,
)
from gantool_translation.domains import domain_smoothness
from gantool_translation.images import from_unit, to_unit
from gantool_translation.models import pix2pix_multiple, pix2pix_networks
from gantool_translation.snapshots import SHOWN, write_grid

HELD_OUT = 64
"""Test pairs scored at each evaluation during training (all of them in `gantool eval`)."""


def translated(ctx: StepContext) -> Tensor:
    """G(A) of this step, computed once and shared by both players."""
    return ctx.once("fake", lambda: ctx.networks["G"](ctx.batch[0]))


def make_losses(config: Pix2PixConfig):
    """(critic loss, generator loss) of the configured ablation."""
    objective = get_objective("non-saturating")

    def critic_loss(ctx: StepContext) -> Tensor:
        source, target = ctx.batch
        D = ctx.networks["D"]
        fake = translated(ctx).detach()
        # Halved, as in the paper: slows the critic relative to the generator.
        return 0.5 * objective.d_loss(D(torch.cat([source, target], 1)),
                                      D(torch.cat([source, fake], 1)))

    def generator_loss(ctx: StepContext) -> tuple[Tensor, dict[str, Tensor]]:
        source, target = ctx.batch
        fake = translated(ctx)
        l1 = F.l1_loss(fake, target)
        if config.loss == "l1":
            return l1, {"l1": l1}
        adversarial = objective.g_loss(ctx.networks["D"](torch.cat([source, fake], 1)))
        weight = config.l1_weight if config.loss == "l1+cgan" else 0.0
        return adversarial + weight * l1, {"l1": l1, "adversarial": adversarial}

    return critic_loss, generator_loss


@torch.no_grad()
def score(generator: nn.Module, pairs: Pairs, reverse: bool, limit: int = HELD_OUT
          ) -> dict[str, float]:
    """L1 (in [0, 1] units), PSNR and SSIM of G(source) against the target, on the CPU."""
    from gantool.metrics import psnr, ssim

    source, target = (pairs.b, pairs.a) if reverse else (pairs.a, pairs.b)
    output = from_unit(generator(to_unit(source[:limit]).to(device_of(generator))).cpu())
    truth = target[:limit].float() / 255
    return {"l1": float((output - truth).abs().mean()), "psnr": psnr(output, truth),
            "ssim": ssim(output, truth)}


@torch.no_grad()
def columns(generator: nn.Module, pairs: Pairs, reverse: bool) -> list[Tensor]:
    """Input, output and ground truth of the first pairs, in [0, 1], on the CPU."""
    source, target = (pairs.b, pairs.a) if reverse else (pairs.a, pairs.b)
    source, target = source[:SHOWN], target[:SHOWN]
    output = generator(to_unit(source).to(device_of(generator))).cpu()
    return [source / 255, from_unit(output), target / 255]


def check_config(config: Pix2PixConfig) -> None:
    multiple = pix2pix_multiple(config.depth)
    if config.image_size < multiple or config.image_size % multiple:
        raise GantoolError(f"--image-size {config.image_size} is not a multiple of "
                           f"2^depth = {multiple}; pass a multiple or a smaller --depth")


def build_game(config: Pix2PixConfig) -> Game:
    check_config(config)
    reverse = config.direction == "BtoA"
    train = load_pairs(config.data, "train",
                       jitter_size(config.image_size) if config.jitter else config.image_size)
    test = (load_pairs(config.data, "test", config.image_size)
            if has_test_split(config.data) else None)
    source, target = (train.b, train.a) if reverse else (train.a, train.b)
    metadata = {"channels_in": str(source.shape[1]), "channels_out": str(target.shape[1]),
                "multiple": str(pix2pix_multiple(config.depth)),
                "directions": json.dumps([config.direction]),
                "smoothness": domain_smoothness(train.a, train.b)}
    critic_loss, generator_loss = make_losses(config)
    betas = (0.5, 0.999)
    players = [Player("G", ["G"], generator_loss, lr=config.lr, betas=betas)]
    if config.loss != "l1":
        players.insert(0, Player("D", ["D"], critic_loss, lr=config.lr, betas=betas))
    shown = test or train
    return Game(
        networks=pix2pix_networks(config, metadata),
        players=players,
        stages=[Stage(config.loss, config.steps, [p.name for p in players])],
        data=PairedDataset(train, reverse, config.image_size if config.jitter else None),
        evaluate=(lambda nets: score(nets["G"], test, reverse)) if test else None,
        snapshot=lambda nets, path: write_grid(columns(nets["G"], shown, reverse), path),
        export=["G"],
        metadata=metadata,
    )
