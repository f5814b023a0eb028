"""How training slices are drawn: by tumour area, and augmented (Buda et al. 2019).

Tumours cover about 1 % of the LGG pixels and most slices hold none, so a uniform draw teaches
the segmentor mostly to say "no tumour". Drawing a patient uniformly, then one of its slices
in proportion to its mask area (plus a floor of a tenth of the patient's mean area, so empty
slices are still seen), is the reference code's sampler. Augmentation (horizontal flip,
rotation, scaling) is its answer to 60 training patients.

Draws use the process's torch generator, which checkpoints save (and which the data loader
seeds per sample when it has workers), so a resumed run sees the same slices.
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor
from torch.utils.data import Dataset

from gantool_segan.data import SegmentationSet

FLOOR = 0.1
"""Share of a patient's mean tumour area every slice of the patient weighs at least."""
ROTATION_DEGREES = 15.0
SCALE = 0.05


def area_weights(labels: Tensor, groups: list[int]) -> Tensor:
    """Per-slice draw probabilities: each group (patient) equally likely, and within a group
    each slice in proportion to its foreground area plus the floor. A group without any
    foreground is drawn uniformly."""
    areas = (labels > 0).flatten(1).sum(1).double()
    weights = torch.zeros(len(labels), dtype=torch.float64)
    bounds = np.cumsum([0, *groups])
    for start, end in zip(bounds[:-1], bounds[1:], strict=True):
        area = areas[start:end]
        share = area + FLOOR * area.mean() if area.sum() > 0 else torch.ones_like(area)
        weights[start:end] = share / share.sum() / len(groups)
    return weights


def augment(image: Tensor, labels: Tensor) -> tuple[Tensor, Tensor]:
    """A random horizontal flip, rotation (within ±15°) and scaling (within ±5 %), the same
    for the image (bilinear) and its label map (nearest)."""
    angle = math.radians((torch.rand(()).item() * 2 - 1) * ROTATION_DEGREES)
    scale = 1 + (torch.rand(()).item() * 2 - 1) * SCALE
    flip = -1.0 if torch.rand(()).item() < 0.5 else 1.0
    cos, sin = math.cos(angle) / scale, math.sin(angle) / scale
    theta = torch.tensor([[flip * cos, -sin, 0.0], [flip * sin, cos, 0.0]])[None]
    grid = F.affine_grid(theta, [1, *image.shape], align_corners=False)
    warped = F.grid_sample(image[None], grid, mode="bilinear", padding_mode="zeros",
                           align_corners=False)[0]
    warped_labels = F.grid_sample(labels[None, None].float(), grid, mode="nearest",
                                  padding_mode="zeros", align_corners=False)[0, 0].long()
    return warped, warped_labels


class DrawnSlices(Dataset):
    """The training slices as the trainer sees them: drawn by `weights` (None: in the stream's
    own order) and augmented when asked. Its length is the set's, so an epoch is as long."""

    def __init__(self, data: SegmentationSet, weights: Tensor | None, augmented: bool) -> None:
        self.data, self.weights, self.augmented = data, weights, augmented

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, index: int) -> tuple[Tensor, Tensor]:
        if self.weights is not None:
            index = int(torch.multinomial(self.weights, 1).item())
        image, labels = self.data[index]
        return augment(image, labels) if self.augmented else (image, labels)
