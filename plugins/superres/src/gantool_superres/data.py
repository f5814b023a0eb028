"""Training patches: random HR crops with flips/rotations and their bicubic-downscaled inputs.

Each of the data set's (virtual) items is one crop whose position and augmentation derive from
(seed, index) alone, so the trainer's resumable batch order also fixes the exact crops.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import torch
from torch import Tensor
from torch.utils.data import Dataset

from gantool.errors import GantoolError
from gantool_superres.images import image_files, read_rgb
from gantool_superres.resample import downscale


def _seed(*parts: object) -> int:
    return int.from_bytes(hashlib.blake2b(repr(parts).encode(), digest_size=8).digest(), "little")


class PatchDataset(Dataset):
    """(lr, hr) float pairs in [0, 1]; hr is `patch*scale` square, lr is `patch` square."""

    def __init__(self, folder: Path, patch: int, scale: int, crops_per_image: int,
                 seed: int) -> None:
        files = image_files(Path(folder))
        if not files:
            raise GantoolError(f"no images found in {folder}; pass a folder of PNG/JPEG photos")
        self.size = patch * scale
        self.images = [read_rgb(f) for f in files]
        small = [f.name for f, im in zip(files, self.images, strict=True)
                 if min(im.shape[-2:]) < self.size]
        if small:
            raise GantoolError(f"images smaller than the {self.size}px crop: {', '.join(small)}")
        self.scale, self.crops, self.seed = scale, crops_per_image, seed

    def __len__(self) -> int:
        return len(self.images) * self.crops

    def __getitem__(self, index: int) -> tuple[Tensor, Tensor]:
        image = self.images[index % len(self.images)]
        g = torch.Generator().manual_seed(_seed(self.seed, index))
        top = int(torch.randint(image.shape[1] - self.size + 1, (1,), generator=g))
        left = int(torch.randint(image.shape[2] - self.size + 1, (1,), generator=g))
        hr = image[:, top:top + self.size, left:left + self.size].float() / 255
        rotations, flip = torch.randint(4, (1,), generator=g), torch.randint(2, (1,), generator=g)
        hr = torch.rot90(hr, int(rotations), dims=(1, 2))
        if flip:
            hr = hr.flip(2)
        return downscale(hr, self.scale), hr.contiguous()
