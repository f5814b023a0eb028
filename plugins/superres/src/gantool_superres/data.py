"""Training patches: random HR crops with flips/rotations and their inputs, bicubic-downscaled
or degraded as real photos are (`gantool_superres.degradations`).

Each photo can also serve at smaller sizes (`hr_scales`, as Real-ESRGAN's multi-scale training
sets): downscaling a JPEG photo removes most of its compression artefacts and gives the network
sharper targets at more scene scales.

Each of the data set's (virtual) items is one crop whose position and augmentation derive from
(seed, index) alone, so the trainer's resumable batch order also fixes the exact crops.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import Tensor
from torch.utils.data import Dataset

from gantool.errors import GantoolError
from gantool.images import image_files
from gantool_superres.degradations import degrade
from gantool_superres.images import read_rgb
from gantool_superres.resample import downscale


def _seed(*parts: object) -> int:
    return int.from_bytes(hashlib.blake2b(repr(parts).encode(), digest_size=8).digest(), "little")


def _resize(image: Tensor, factor: float) -> Tensor:
    """A uint8 image scaled by `factor` with antialiased bicubic resampling."""
    if factor == 1:
        return image
    small = F.interpolate(image[None].float(), scale_factor=factor, mode="bicubic",
                          antialias=True, align_corners=False)
    return small[0].round().clamp(0, 255).to(torch.uint8)


class PatchDataset(Dataset):
    """(lr, hr) float pairs in [0, 1]; hr is `patch*scale` square, lr is `patch` square."""

    def __init__(self, folder: Path, patch: int, scale: int, crops_per_image: int,
                 seed: int, hr_scales: tuple[float, ...] = (1.0,),
                 degradation: str = "bicubic") -> None:
        files = image_files(Path(folder))
        if not files:
            raise GantoolError(f"no images found in {folder}; pass a folder of PNG/JPEG photos")
        if not hr_scales or not all(0 < f <= 1 for f in hr_scales):
            raise GantoolError(f"--hr-scales {hr_scales}: give factors in (0, 1], e.g. 1,0.5")
        self.size = patch * scale
        photos = {f.name: read_rgb(f) for f in files}
        small = [name for name, im in photos.items() if min(im.shape[-2:]) < self.size]
        if small:
            raise GantoolError(f"images smaller than the {self.size}px crop: {', '.join(small)}")
        self.images = [resized for photo in photos.values() for factor in hr_scales
                       if min((resized := _resize(photo, factor)).shape[-2:]) >= self.size]
        self.scale, self.crops, self.seed = scale, crops_per_image, seed
        self.degradation = degradation

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
        hr = hr.contiguous()
        if self.degradation == "bicubic":
            return downscale(hr, self.scale), hr
        return degrade(hr, self.scale, g, self.degradation), hr
