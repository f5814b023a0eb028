"""A game: networks, the players that update them, and the stages they play in.

Every application is such a game. A player owns the parameters of some networks, an optimizer
(built by the trainer from the player's settings) and a loss computed from the step's batch. A
stage runs a number of steps over some players, in order: pretraining stages, then the
adversarial stage. Everything else (devices, autocast, update ratios, EMA, checkpoints, logging,
resumption, distribution) belongs to the trainer, so no application needs special cases.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from torch import Tensor, nn
from torch.utils.data import Dataset

from gantool.train.optim import Schedule, constant

if TYPE_CHECKING:
    from gantool.train.context import StepContext

LossOutput = Tensor | tuple[Tensor, dict[str, float]]


@dataclass
class Player:
    """One side of the game.

    `loss(ctx)` returns the scalar this player minimises (optionally with extra numbers to log).
    Gradients flow only into this player's own parameters, so a generator's loss computed
    through the discriminator leaves the discriminator untouched.
    """

    name: str
    networks: Sequence[str]
    loss: Callable[[StepContext], LossOutput]
    lr: float = 2e-4
    betas: tuple[float, float] = (0.5, 0.999)
    """Adam's and AdamW's moment decays."""
    optimizer: str = "adam"
    """A name in `gantool.train.optim.OPTIMIZERS`: adam, adamw, sgd or rmsprop."""
    momentum: float = 0.0
    """SGD's and RMSprop's momentum."""
    weight_decay: float = 0.0
    every: int = 1
    """Update on every `every`-th step of the stage (a generator with n_critic=5 uses 5)."""
    repeat: int = 1
    """Updates in a row each time the player plays, on the same step's batch and `ctx.cache`
    (SeqGAN's g-steps; a critic that caches its negatives gets k epochs over them)."""
    grad_clip: float | None = None
    """Clip the gradient norm of this player's parameters."""
    weight_clip: float | None = None
    """Clamp this player's weights to [-c, c] after each update (the original WGAN critic)."""
    lr_schedule: Schedule = constant
    """Factor of `lr` from the stage's progress p in [0, 1]; `gantool.train.optim` has
    `constant`, `linear_decay()` (CycleGAN) and `inverse_decay()` (Ganin et al.)."""


@dataclass
class Stage:
    """A phase of training: `steps` steps in which `players` take turns, in order."""

    name: str
    steps: int
    players: Sequence[str]


@dataclass
class Game:
    """Everything a task hands to the trainer."""

    networks: dict[str, nn.Module]
    players: list[Player]
    stages: list[Stage]
    data: Dataset
    collate: Callable[[list[Any]], Any] | None = None
    evaluate: Callable[[dict[str, nn.Module]], dict[str, float]] | None = None
    """Metrics on held-out data; receives the networks (EMA copies where kept), in eval mode
    and on the training device: move inputs there with `gantool.train.devices.device_of`."""
    snapshot: Callable[[dict[str, nn.Module], Path], None] | None = None
    """Write a PNG (sample grid, scatter plot, ...) of the current networks to the path."""
    on_start: Callable[[Path], None] | None = None
    """Called with the run directory when training starts or resumes, on the main process
    (to save what the run drew, such as its labelled subset, beside it)."""
    writes: Sequence[str] = ()
    """Names of the files the game, or its task's evaluation, writes into the run directory
    (besides the trainer's), so a run folder holding them is not taken for someone else's."""
    ema: Sequence[str] = ()
    """Networks whose exponential moving average is kept when the config's ema_decay > 0."""
    export: Sequence[str] = ()
    """Networks saved to model.safetensors at the end, for `gantool run` and `gantool eval`."""
    metadata: dict[str, str] = field(default_factory=dict)
    """Extra strings stored in model.safetensors (for example the upscaling factor)."""
    warm_started: Sequence[str] = ()
    """Networks the game already loaded from the config's `init` itself, adapting them (a
    deeper generator from a shallower one): the trainer records the lineage but neither
    checks nor loads them again."""

    def check(self) -> None:
        """Fail early, with a clear message, on an inconsistent declaration."""
        names = {p.name for p in self.players}
        if len(names) != len(self.players):
            raise ValueError("player names must be unique")
        for player in self.players:
            unknown = [n for n in player.networks if n not in self.networks]
            if unknown:
                raise ValueError(f"player {player.name!r} names unknown networks {unknown}")
            if player.every < 1:
                raise ValueError(f"player {player.name!r}: every must be >= 1")
            if player.repeat < 1:
                raise ValueError(f"player {player.name!r}: repeat must be >= 1")
        for stage in self.stages:
            unknown = [p for p in stage.players if p not in names]
            if unknown:
                raise ValueError(f"stage {stage.name!r} names unknown players {unknown}")
        for name in [*self.ema, *self.export, *self.warm_started]:
            if name not in self.networks:
                raise ValueError(f"unknown network {name!r} in ema/export/warm_started")

    @property
    def total_steps(self) -> int:
        return sum(stage.steps for stage in self.stages)
