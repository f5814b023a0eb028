"""The two domains of a training run, brought to one image size and channel count."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch
from torch import Tensor
from torch.utils.data import Dataset

from gantool.errors import GantoolError
from gantool_dann.folders import Domain, check_classes, conform, load_domain, relabel


@dataclass
class DomainPair:
    source: Domain
    target: Domain

    @property
    def classes(self) -> list[str]:
        return self.source.classes


def load_pair(source: Path, target: Path, split: str, *, target_labels: bool,
              size: int = 0, channels: int = 0) -> DomainPair:
    """Source (labelled) and target of `split`, both at `size` and `channels` (0: the target's
    size and the larger channel count, so colour is never thrown away)."""
    src = load_domain(source, split, what="source", need_labels=True)
    if len(src.classes) < 2:
        raise GantoolError(f"source folder {src.folder} has one class folder; a classifier "
                           "needs at least two")
    tgt = load_domain(target, split, what="target", need_labels=target_labels)
    check_classes(src, tgt)
    size = size or tgt.size
    channels = channels or max(src.channels, tgt.channels)
    return DomainPair(conform(src, size, channels),
                      relabel(conform(tgt, size, channels), src.classes))


class PairDataset(Dataset):
    """Item i: (source image, source label, target image, target label or -1).

    The target index goes through a fixed permutation, so a target built from the source
    images (as MNIST-M is from MNIST) is never paired with its own origin.
    """

    def __init__(self, pair: DomainPair, seed: int) -> None:
        self.source, self.target = pair.source, pair.target
        self.length = max(len(self.source.images), len(self.target.images))
        self.order = torch.randperm(self.length, generator=torch.Generator().manual_seed(seed))

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index: int) -> tuple[Tensor, Tensor, Tensor, Tensor]:
        s = index % len(self.source.images)
        t = int(self.order[index]) % len(self.target.images)
        target_label = (self.target.labels[t] if self.target.labels is not None
                        else torch.tensor(-1))
        return self.source.images[s], self.source.labels[s], self.target.images[t], target_label
