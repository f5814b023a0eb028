"""A training set in memory: images and label maps of one size, as tensors."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import Tensor
from torch.utils.data import Dataset

from gantool.errors import GantoolError
from gantool.image_tensors import resize, set_channels
from gantool_segan.folders import Pair, load_pairs


@dataclass
class SegmentationSet(Dataset):
    images: Tensor
    """N x C x H x W float in [0, 1]."""
    labels: Tensor
    """N x H x W int64."""

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, index: int) -> tuple[Tensor, Tensor]:
        return self.images[index], self.labels[index]

    @property
    def channels(self) -> int:
        return self.images.shape[1]


def _resized(pair: Pair, size: int, channels: int) -> tuple[Tensor, Tensor]:
    image = set_channels(torch.from_numpy(pair.image).permute(2, 0, 1)[None], channels)
    labels = torch.from_numpy(pair.labels)[None, None].float()
    if size:
        image = resize(image, size)
        labels = F.interpolate(labels, size=(size, size), mode="nearest")
    return image[0], labels[0, 0].long()


def load_set(images: Path, masks: Path, size: int = 0) -> SegmentationSet:
    """All pairs of the folders, at one size (`size`, else the images' own, which must agree)."""
    return stack_pairs(load_pairs(images, masks), size, images)


def stack_pairs(pairs: list[Pair], size: int, images: Path) -> SegmentationSet:
    """`pairs` as tensors at one size (`size`, else their own, which must agree)."""
    if not size:
        shapes = {p.image.shape[:2] for p in pairs}
        if len(shapes) > 1:
            sizes = ", ".join(f"{w}x{h}" for h, w in sorted(shapes))
            raise GantoolError(f"training images in {images} have several sizes ({sizes}); "
                               "pass --image-size N to resize them all to NxN")
    channels = max(p.image.shape[2] for p in pairs)
    tensors = [_resized(p, size, channels) for p in pairs]
    return SegmentationSet(torch.stack([t[0] for t in tensors]).contiguous(),
                           torch.stack([t[1] for t in tensors]))


def class_count(labels: Tensor, requested: int) -> int:
    """Classes including background: `requested`, or the highest label + 1 (at least 2)."""
    highest = int(labels.max())
    if requested and highest >= requested:
        raise GantoolError(f"the masks hold label {highest} but --classes is {requested}; "
                           f"pass --classes {highest + 1} or 0 (from the masks)")
    return requested or max(2, highest + 1)

