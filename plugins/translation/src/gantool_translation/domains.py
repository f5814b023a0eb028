"""Whether an input looks like the model's other domain: a photo given to a labels -> photo
model, a label map given to a photo -> labels one.

A label map is a few flat colours, a photo is texture, so the share of pixels where the image
barely changes from one pixel to the next (its smoothness) tells the two apart. Training
records the median smoothness of each domain in the model file; at run time an input whose
smoothness is nearer the output domain's than the input domain's gets a notice (not an error:
smoothness overlaps at the edges, and the user may mean it).
"""

from __future__ import annotations

import json

import torch
from torch import Tensor

STEP = 6
"""Largest change (0-255, summed over the right and lower neighbour, worst channel) a pixel
may show and still count as smooth: above JPEG noise in a flat region, below photo texture."""


def smoothness(images: Tensor) -> Tensor:
    """Per image of uint8 N x C x H x W: the share of pixels that barely change."""
    x = images.to(torch.int16)
    across = (x[..., :-1, 1:] - x[..., :-1, :-1]).abs().amax(1)
    down = (x[..., 1:, :-1] - x[..., :-1, :-1]).abs().amax(1)
    return ((across + down) < STEP).float().flatten(1).mean(1)


def domain_smoothness(a: Tensor, b: Tensor) -> str:
    """The metadata value: the median smoothness of each domain's training images."""
    return json.dumps({"A": round(float(smoothness(a).median()), 4),
                       "B": round(float(smoothness(b).median()), 4)})


def other_domain_notice(image: Tensor, typical_in: float | None, typical_out: float | None
                        ) -> str | None:
    """A notice when the uint8 C x H x W `image` is nearer the output domain's smoothness
    than the input domain's (None for models trained before smoothness was recorded)."""
    if typical_in is None or typical_out is None:
        return None
    seen = float(smoothness(image[None])[0])
    if abs(seen - typical_out) >= abs(seen - typical_in):
        return None
    looks = "flat colours, like a label map" if seen > typical_in else "texture, like a photo"
    return (f"it looks like the model's output domain rather than its input ({seen:.0%} of "
            f"its pixels smooth: {looks}; the model's inputs {typical_in:.0%}, its outputs "
            f"{typical_out:.0%}); check the input and --direction")
