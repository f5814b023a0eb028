"""A history of generated images for the discriminator (Shrivastava et al. 2017; CycleGAN).

A critic shown only the generator's latest outputs can chase it around: the generator moves,
the critic forgets what it rejected a few steps ago, and training oscillates. The pool keeps
the last `size` generated images; each new image is shown as is half of the time, and half of
the time replaced by a random older one (which it then replaces in the pool).

The pool is an `nn.Module` whose contents are buffers, so a task that lists it among its
game's networks gets it saved in checkpoints; with the draws taken from a generator seeded by
the step, a resumed run replays exactly what an uninterrupted one does.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn


class ImagePool(nn.Module):
    """Up to `size` images of shape `image_shape` (C, H, W); `size=0` passes images through."""

    def __init__(self, size: int, image_shape: tuple[int, int, int]) -> None:
        super().__init__()
        if size < 0:
            raise ValueError(f"pool size must be >= 0, got {size}")
        self.size = size
        self.register_buffer("images", torch.zeros(size, *image_shape))
        self.register_buffer("count", torch.zeros((), dtype=torch.long))
        self.filled = 0
        """`count` as a Python int, so choosing never reads back from a GPU."""

    def query(self, images: Tensor, generator: torch.Generator) -> Tensor:
        """The images to show the critic for this batch (detached), updating the pool.

        Draws come from `generator` (on the CPU) only, so equal seeds give equal choices.
        """
        images = images.detach()
        if self.size == 0:
            return images
        if images.shape[1:] != self.images.shape[1:]:
            raise ValueError(f"pool holds {tuple(self.images.shape[1:])} images, "
                             f"got {tuple(images.shape[1:])}")
        coins = torch.rand(len(images), generator=generator)
        picks = torch.randint(self.size, (len(images),), generator=generator)
        out = []
        for image, coin, pick in zip(images, coins.tolist(), picks.tolist(), strict=True):
            if self.filled < self.size:
                self.images[self.filled] = image
                self.filled += 1
                out.append(image)
            elif coin < 0.5:
                out.append(self.images[pick].clone())
                self.images[pick] = image
            else:
                out.append(image)
        self.count.fill_(self.filled)
        return torch.stack(out)

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs) -> None:  # noqa: ANN001
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)
        if prefix + "count" in state_dict:
            self.filled = int(state_dict[prefix + "count"])

    def extra_repr(self) -> str:
        return f"size={self.size}, filled={self.filled}"
