"""torch's bicubic upscale by an integer factor as a fixed depthwise convolution.

Output pixel scale*i + p samples the input at i + (2p + 1 - scale) / (2 scale) (half-pixel
centres), between offsets -1 and +1, so each output phase is a 5-tap cubic filter per axis
around i. A depthwise 5x5 convolution to 3*scale^2 phases over the edge-padded input, then a
pixel shuffle, is therefore `F.interpolate(mode="bicubic")` (a = -0.75, edges clamped) to float
rounding, from two operations every runtime makes fast.
"""

from __future__ import annotations

import math

import numpy as np

PAD = 2  # input pixels each side the 5-tap filters reach


def _keys_cubic(x: float, a: float = -0.75) -> float:
    x = abs(x)
    if x <= 1:
        return ((a + 2) * x - (a + 3)) * x * x + 1
    return (((x - 5) * x + 8) * x - 4) * a if x < 2 else 0.0


def phase_taps(scale: int) -> np.ndarray:
    """(scale, 5): the cubic weights that output phase p puts on input offsets -2..2."""
    taps = np.zeros((scale, 2 * PAD + 1))
    for p in range(scale):
        where = (2 * p + 1 - scale) / (2 * scale)
        left = math.floor(where)
        t = where - left
        for k, weight in zip(range(left - 1, left + 3), (t + 1, t, 1 - t, 2 - t), strict=True):
            taps[p, k + PAD] = _keys_cubic(weight)
    return taps


def bicubic_kernels(scale: int) -> np.ndarray:
    """(3 * scale^2, 1, 5, 5) float32 weights of the depthwise convolution (groups = 3), in
    PixelShuffle's channel order: colour, then output row phase, then column phase."""
    taps = phase_taps(scale)
    kernels = np.einsum("pi,qj->pqij", taps, taps).reshape(scale * scale, 1, 5, 5)
    return np.tile(kernels, (3, 1, 1, 1)).astype(np.float32)
