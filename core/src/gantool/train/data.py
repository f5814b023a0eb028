"""A batch stream that can stop anywhere and resume at exactly the same batch.

Each epoch's order is a permutation drawn from (seed, epoch), so the stream's whole state is two
integers. Under torchrun every process takes its slice of the same global batch, so N processes
see together exactly what one process sees.

One data loader serves the whole run, so worker processes start once and stay (with pinned
memory on a GPU). With workers, each sample's random augmentation is seeded from its place in
the stream (seed, epoch, batch, index), so it does not depend on which worker drew it, and a
resumed run sees exactly the samples of an uninterrupted one. Without workers the dataset
draws from the process's own generators, which checkpoints save.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

from gantool.train.context import _seed_for


class _SeededSamples(Dataset):
    """Looks up `(index, seed)` keys: seeds the worker's generators, then reads the sample."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset

    def __len__(self) -> int:
        return len(self.dataset)  # type: ignore[arg-type]

    def __getitem__(self, key: tuple[int, int]) -> Any:
        index, seed = key
        torch.manual_seed(seed)
        random.seed(seed)
        np.random.seed(seed % 2**32)
        return self.dataset[index]


class _Batches:
    """The endless sequence of this process's batches from (epoch, position) on."""

    def __init__(self, stream: BatchStream, epoch: int, position: int, seeded: bool) -> None:
        self.stream, self.epoch, self.position, self.seeded = stream, epoch, position, seeded

    def __iter__(self) -> Iterator[list[Any]]:
        epoch, position = self.epoch, self.position
        while True:
            for number, batch in enumerate(self.stream.epoch_batches(epoch)[position:],
                                           start=position):
                if self.seeded:
                    yield [(i, _seed_for(self.stream.seed, "sample", epoch, number, i))
                           for i in batch]
                else:
                    yield batch
            epoch, position = epoch + 1, 0


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
        pin_memory: bool = False,
        epoch: int = 0,
        position: int = 0,
    ) -> None:
        if batch_size % world_size:
            raise ValueError(f"batch size {batch_size} must divide by the {world_size} processes")
        self.size = len(dataset)  # type: ignore[arg-type]
        if self.size == 0:
            raise ValueError("the training data set is empty")
        self.batch_size = batch_size
        self.seed = seed
        self.rank = rank
        self.world_size = world_size
        self.epoch = epoch
        self.position = position
        self.batches_per_epoch = max(1, self.size // batch_size)
        seeded = num_workers > 0
        # A private generator: creating the loader must not draw from the global RNG, or a
        # resumed run (which creates it mid-epoch) would see different random numbers.
        loader = DataLoader(
            _SeededSamples(dataset) if seeded else dataset,
            batch_sampler=_Batches(self, epoch, position, seeded), collate_fn=collate,
            num_workers=num_workers, pin_memory=pin_memory,
            generator=torch.Generator().manual_seed(_seed_for(seed, "workers")),
        )
        self._iterator = iter(loader)

    def epoch_batches(self, epoch: int) -> list[list[int]]:
        """This process's share of every global batch of `epoch`."""
        generator = torch.Generator().manual_seed(_seed_for(self.seed, "data", epoch))
        needed = self.batches_per_epoch * self.batch_size
        order = torch.cat([
            torch.randperm(self.size, generator=generator)
            for _ in range(-(-needed // self.size))
        ])[:needed]
        share = self.batch_size // self.world_size
        start = self.rank * share
        return [
            order[b * self.batch_size + start : b * self.batch_size + start + share].tolist()
            for b in range(self.batches_per_epoch)
        ]

    def __iter__(self) -> BatchStream:
        return self

    def __next__(self) -> Any:
        batch = next(self._iterator)
        self.position += 1
        if self.position == self.batches_per_epoch:
            self.epoch, self.position = self.epoch + 1, 0
        return batch

    def state(self) -> dict[str, int]:
        return {"epoch": self.epoch, "position": self.position}
