"""What a player's loss sees during one step."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import torch
from torch import nn

from gantool.train.devices import draw_device

T = TypeVar("T")


def _seed_for(*parts: object) -> int:
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") & 0x7FFF_FFFF_FFFF_FFFF


@dataclass
class StepContext:
    """The batch, the networks and helpers for one training step.

    `cache` is shared by the players of one step (a generator's output computed for the
    discriminator's turn can be reused, with its graph, by the generator's turn) and cleared
    before the next step.
    """

    batch: Any
    networks: dict[str, nn.Module]
    step: int
    stage: str
    stage_step: int
    stage_steps: int
    seed: int
    device: torch.device
    rank: int = 0
    world_size: int = 1
    cache: dict[str, Any] = field(default_factory=dict)
    _noise_calls: int = 0

    def once(self, key: str, compute: Callable[[], T]) -> T:
        """`compute()` the first time a player of this step asks for `key`, the cached value
        after (a generator's output made for the critic's turn serves the generator's)."""
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]

    @property
    def progress(self) -> float:
        """Fraction of the current stage completed, in [0, 1] (for schedules such as DANN's)."""
        return self.stage_step / max(1, self.stage_steps)

    def generator(self, device: torch.device | str | None = None) -> torch.Generator:
        """A generator seeded from (seed, step, call number), on `device` (the CPU when not
        given). Draws from it depend on nothing else, so a resumed or multi-process run sees
        the same numbers, and choices made on the CPU (an image pool's) need no read-back."""
        self._noise_calls += 1
        seed = _seed_for(self.seed, self.step, self._noise_calls)
        return torch.Generator(device=device or "cpu").manual_seed(seed)

    def noise(self, n: int, *shape: int, kind: str = "normal") -> torch.Tensor:
        """`n` samples of noise for this process, drawn as one slice of the global batch.

        The draw depends only on (seed, step, call number), so a run resumed from a checkpoint
        or split across processes sees exactly the noise an uninterrupted single run sees.
        """
        where = draw_device(self.device)
        generator = self.generator(where)
        size = (n * self.world_size, *shape)
        if kind == "normal":
            full = torch.randn(size, generator=generator, device=where)
        elif kind == "uniform":
            full = torch.rand(size, generator=generator, device=where)
        else:
            raise ValueError(f"unknown noise kind {kind!r}")
        return full[self.rank * n : (self.rank + 1) * n].to(self.device)

    def randint(self, high: int, n: int, *, on_cpu: bool = False) -> torch.Tensor:
        """Integers in [0, high) with the same determinism as `noise`, on the training device
        (or on the CPU with `on_cpu`, for indices used there: no read-back from a GPU)."""
        where = torch.device("cpu") if on_cpu else draw_device(self.device)
        full = torch.randint(high, (n * self.world_size,), generator=self.generator(where),
                             device=where)
        part = full[self.rank * n : (self.rank + 1) * n]
        return part if on_cpu else part.to(self.device)
