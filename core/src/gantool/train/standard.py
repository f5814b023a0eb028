"""The losses of the standard unconditional game, shared by tasks that play it.

A task with a generator `G` fed by noise and a critic `D` on its samples needs the same two
losses; these build them from any objective, generating the fake batch once per step.
"""

from __future__ import annotations

from collections.abc import Callable

from torch import Tensor

from gantool.losses import Objective
from gantool.train.context import StepContext


def generated(ctx: StepContext, z_dim: int, generator: str = "G") -> Tensor:
    """This step's fake batch (one per real sample), computed once and shared by the players."""
    return ctx.once("fake", lambda: ctx.networks[generator](ctx.noise(len(ctx.batch[0]), z_dim)))


def gan_losses(
    objective: Objective, z_dim: int, *, generator: str = "G", critic: str = "D"
) -> tuple[Callable[[StepContext], Tensor], Callable[[StepContext], Tensor]]:
    """(critic loss, generator loss) for real samples in `ctx.batch[0]`."""

    def critic_loss(ctx: StepContext) -> Tensor:
        D = ctx.networks[critic]
        return objective.d_loss(D(ctx.batch[0]), D(generated(ctx, z_dim, generator).detach()))

    def generator_loss(ctx: StepContext) -> Tensor:
        D = ctx.networks[critic]
        return objective.g_loss(D(generated(ctx, z_dim, generator)), D(ctx.batch[0]))

    return critic_loss, generator_loss
