"""CycleGAN (Zhu et al. 2017) as a gantool game: two generators, two critics, cycle consistency.

Without pairs, a critic per domain only asks that G_AB(a) look like domain B; many mappings do,
most of them forgetting the input. The cycle loss ||G_BA(G_AB(a)) - a||_1 (and its mirror)
asks that the translation keep enough of the input to undo it, the identity loss that an image
already in the target domain passes unchanged (keeping colours). Critics are least-squares and
see generated images through a 50-image history pool; the learning rate decays linearly to
zero over the second half of training.
"""

from __future__ import annotations

import json

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from gantool.errors import GantoolError
from gantool.image_pool import ImagePool
from gantool.losses import get_objective
from gantool.train import Game, Player, Stage, StepContext
from gantool.train.devices import device_of
from gantool.train.optim import linear_decay
from gantool_translation.config import CycleGANConfig
from gantool_translation.data import (
    UnpairedDataset,
    domain_folders,
    jitter_size,
    load_domain,
    load_domains,
)
from gantool_translation.domains import domain_smoothness
from gantool_translation.images import from_unit, to_unit
from gantool_translation.models import cyclegan_multiple, cyclegan_networks
from gantool_translation.snapshots import SHOWN, write_grid

HELD_OUT = 64


def cycle(ctx: StepContext) -> dict[str, Tensor]:
    """Both translations and both reconstructions of this step, computed once."""
    return ctx.once("cycle", lambda: translations(ctx.networks, *ctx.batch))


def translations(nets: dict[str, nn.Module], real_a: Tensor, real_b: Tensor
                 ) -> dict[str, Tensor]:
    fake_b, fake_a = nets["G_AB"](real_a), nets["G_BA"](real_b)
    return {"fake_a": fake_a, "fake_b": fake_b, "rec_a": nets["G_BA"](fake_b),
            "rec_b": nets["G_AB"](fake_a)}


def pool_generator(ctx: StepContext) -> torch.Generator:
    """A CPU generator seeded from the step, so the pools replay exactly on resumption (its
    seed is drawn on the CPU: `int()` of a GPU tensor would stall every critic update)."""
    return torch.Generator().manual_seed(int(ctx.randint(2**62, 1, on_cpu=True)))


def make_losses(config: CycleGANConfig, same_channels: bool):
    objective = get_objective("least-squares")
    identity = config.identity_weight * config.cycle_weight if same_channels else 0.0

    def generator_loss(ctx: StepContext) -> tuple[Tensor, dict[str, Tensor]]:
        real_a, real_b = ctx.batch
        nets, out = ctx.networks, cycle(ctx)
        adversarial = (objective.g_loss(nets["D_B"](out["fake_b"]))
                       + objective.g_loss(nets["D_A"](out["fake_a"])))
        cycle_l1 = F.l1_loss(out["rec_a"], real_a) + F.l1_loss(out["rec_b"], real_b)
        loss = adversarial + config.cycle_weight * cycle_l1
        logs = {"adversarial": adversarial, "cycle": cycle_l1}
        if identity:
            identity_l1 = (F.l1_loss(nets["G_AB"](real_b), real_b)
                           + F.l1_loss(nets["G_BA"](real_a), real_a))
            loss = loss + identity * identity_l1
            logs["identity"] = identity_l1
        return loss, logs

    def critic_loss(ctx: StepContext) -> Tensor:
        real_a, real_b = ctx.batch
        nets, out = ctx.networks, cycle(ctx)
        generator = pool_generator(ctx)
        fake_b = nets["pool_B"].query(out["fake_b"], generator)
        fake_a = nets["pool_A"].query(out["fake_a"], generator)
        return (objective.d_loss(nets["D_B"](real_b), nets["D_B"](fake_b))
                + objective.d_loss(nets["D_A"](real_a), nets["D_A"](fake_a)))

    return generator_loss, critic_loss


@torch.no_grad()
def cycle_error(nets: dict[str, nn.Module], a: Tensor, b: Tensor, limit: int = HELD_OUT
                ) -> dict[str, float]:
    """Mean |x - F(G(x))| in [0, 1] units, for A -> B -> A and B -> A -> B, on the CPU."""
    a, b = to_unit(a[:limit]), to_unit(b[:limit])
    device = device_of(nets["G_AB"])
    rec_a = nets["G_BA"](nets["G_AB"](a.to(device))).cpu()
    rec_b = nets["G_AB"](nets["G_BA"](b.to(device))).cpu()
    return {"cycle_a": float((from_unit(rec_a) - from_unit(a)).abs().mean()),
            "cycle_b": float((from_unit(rec_b) - from_unit(b)).abs().mean())}


@torch.no_grad()
def columns(nets: dict[str, nn.Module], a: Tensor) -> list[Tensor]:
    """A, G_AB(A) and its reconstruction, in [0, 1], on the CPU."""
    x = to_unit(a[:SHOWN])
    fake = nets["G_AB"](x.to(device_of(nets["G_AB"])))
    return [from_unit(x), from_unit(fake.cpu()), from_unit(nets["G_BA"](fake).cpu())]


def check_config(config: CycleGANConfig) -> None:
    if config.image_size % cyclegan_multiple() or config.image_size < 16:
        raise GantoolError(f"--image-size {config.image_size} is not a multiple of "
                           f"{cyclegan_multiple()} of at least 16")


def build_game(config: CycleGANConfig) -> Game:
    check_config(config)
    loaded = jitter_size(config.image_size) if config.jitter else config.image_size
    a, b = load_domains(domain_folders(config.data, "train"), loaded)
    test = None
    if all((config.data / name).is_dir() for name in ("testA", "testB")):
        test = (load_domain(config.data / "testA", config.image_size),
                load_domain(config.data / "testB", config.image_size))
    c_a, c_b = a.shape[1], b.shape[1]
    metadata = {"channels_a": str(c_a), "channels_b": str(c_b),
                "multiple": str(cyclegan_multiple()),
                "directions": json.dumps(["AtoB", "BtoA"]),
                "smoothness": domain_smoothness(a, b)}
    networks = cyclegan_networks(config, metadata)
    size = config.image_size
    networks["pool_A"] = ImagePool(config.pool_size, (c_a, size, size))
    networks["pool_B"] = ImagePool(config.pool_size, (c_b, size, size))
    generator_loss, critic_loss = make_losses(config, c_a == c_b)
    betas = (0.5, 0.999)
    shown = test[0] if test else a[..., :size, :size]
    return Game(
        networks=networks,
        players=[Player("G", ["G_AB", "G_BA"], generator_loss, lr=config.lr, betas=betas,
                        lr_schedule=linear_decay()),
                 Player("D", ["D_A", "D_B"], critic_loss, lr=config.lr, betas=betas,
                        lr_schedule=linear_decay())],
        stages=[Stage("cyclegan", config.steps, ["G", "D"])],
        data=UnpairedDataset(a, b, config.seed, config.image_size if config.jitter else None),
        evaluate=(lambda nets: cycle_error(nets, *test)) if test else None,
        snapshot=lambda nets, path: write_grid(columns(nets, shown), path),
        export=["G_AB", "G_BA"],
        metadata=metadata,
    )
