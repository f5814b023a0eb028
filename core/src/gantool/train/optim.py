"""Named optimizer factories and learning-rate schedules a `Player` chooses from.

A schedule maps the stage's progress p in [0, 1] to a factor of the player's learning rate; a
task that needs another shape passes its own function, so the trainer knows no application.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import torch
from torch import Tensor, nn

if TYPE_CHECKING:
    from gantool.train.game import Player

Schedule = Callable[[float], float]


Factory = Callable[["Player", list[Tensor]], torch.optim.Optimizer]


def _with_betas(cls: type[torch.optim.Optimizer]) -> Factory:
    """Adam-style optimizers: the player's `betas`."""
    return lambda player, params: cls(params, lr=player.lr, betas=player.betas,
                                      weight_decay=player.weight_decay)


def _with_momentum(cls: type[torch.optim.Optimizer]) -> Factory:
    """SGD-style optimizers: the player's `momentum`."""
    return lambda player, params: cls(params, lr=player.lr, momentum=player.momentum,
                                      weight_decay=player.weight_decay)


OPTIMIZERS: dict[str, Factory] = {
    "adam": _with_betas(torch.optim.Adam), "adamw": _with_betas(torch.optim.AdamW),
    "sgd": _with_momentum(torch.optim.SGD), "rmsprop": _with_momentum(torch.optim.RMSprop),
}


def trained_params(modules: list[nn.Module]) -> list[Tensor]:
    """The parameters a player trains: those of its networks that need gradients, each once
    (networks may share layers)."""
    seen: set[int] = set()
    params = []
    for module in modules:
        for p in module.parameters():
            if p.requires_grad and id(p) not in seen:
                seen.add(id(p))
                params.append(p)
    return params


def build_optimizer(player: Player, params: list[Tensor]) -> torch.optim.Optimizer:
    try:
        factory = OPTIMIZERS[player.optimizer]
    except KeyError:
        raise ValueError(f"player {player.name!r}: unknown optimizer {player.optimizer!r}; "
                         f"known: {', '.join(OPTIMIZERS)}") from None
    return factory(player, params)


def constant(progress: float) -> float:
    return 1.0


def linear_decay(start: float = 0.5) -> Schedule:
    """Constant until `start` of the stage, then linearly to zero (CycleGAN, SRGAN)."""

    def schedule(progress: float) -> float:
        return 1.0 if progress < start else max(0.0, (1.0 - progress) / (1.0 - start))

    return schedule


def inverse_decay(alpha: float = 10.0, beta: float = 0.75) -> Schedule:
    """lr / (1 + alpha p)^beta: the annealing of Ganin et al. 2016 with its defaults."""

    def schedule(progress: float) -> float:
        return 1.0 / (1.0 + alpha * progress) ** beta

    return schedule
