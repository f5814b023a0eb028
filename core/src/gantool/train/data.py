"""A batch stream that can stop anywhere and resume at exactly the same batch.

Each epoch's order is a permutation drawn from (seed, epoch), so the stream's whole state is two
integers. Under torchrun every process takes its slice of the same global batch, so N processes
see together exactly what one process sees.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import torch
from torch.utils.data import DataLoader, Dataset

from gantool.train.context import _seed_for


class BatchStream:
    """An endless iterator of batches with a resumable (epoch, position) state."""

    def __init__(
        self,
        dataset: Dataset,
        batch_size: int,
        seed: int,
        *,
        rank: int = 0,
        world_size: int = 1,
        collate: Callable[[list[Any]], Any] | None = None,
        num_workers: int = 0,
        epoch: int = 0,
        position: int = 0,
    ) -> None:
        if batch_size % world_size:
            raise ValueError(f"batch size {batch_size} must divide by the {world_size} processes")
        self.dataset = dataset
        self.size = len(dataset)  # type: ignore[arg-type]
        if self.size == 0:
            raise ValueError("the training data set is empty")
        self.batch_size = batch_size
        self.seed = seed
        self.rank = rank
        self.world_size = world_size
        self.collate = collate
        self.num_workers = num_workers
        self.epoch = epoch
        self.position = position
        self._iterator: Iterator[Any] | None = None

    def _epoch_batches(self) -> list[list[int]]:
        """This process's share of every global batch of the current epoch."""
        generator = torch.Generator().manual_seed(_seed_for(self.seed, "data", self.epoch))
        n_batches = max(1, self.size // self.batch_size)
        needed = n_batches * self.batch_size
        order = torch.cat([
            torch.randperm(self.size, generator=generator)
            for _ in range(-(-needed // self.size))
        ])[:needed]
        share = self.batch_size // self.world_size
        start = self.rank * share
        return [
            order[b * self.batch_size + start : b * self.batch_size + start + share].tolist()
            for b in range(n_batches)
        ]

    def _start_epoch(self) -> None:
        batches = self._epoch_batches()[self.position :]
        # A private generator: creating the loader must not draw from the global RNG, or a
        # resumed run (which creates it mid-epoch) would see different random numbers.
        worker_seeds = torch.Generator().manual_seed(
            _seed_for(self.seed, "workers", self.epoch, self.position))
        loader = DataLoader(
            self.dataset, batch_sampler=batches, collate_fn=self.collate,
            num_workers=self.num_workers, generator=worker_seeds,
        )
        self._iterator = iter(loader)

    def __iter__(self) -> BatchStream:
        return self

    def __next__(self) -> Any:
        if self._iterator is None:
            self._start_epoch()
        try:
            batch = next(self._iterator)  # type: ignore[arg-type]
        except StopIteration:
            self.epoch += 1
            self.position = 0
            self._start_epoch()
            batch = next(self._iterator)  # type: ignore[arg-type]
        self.position += 1
        return batch

    def state(self) -> dict[str, int]:
        return {"epoch": self.epoch, "position": self.position}
