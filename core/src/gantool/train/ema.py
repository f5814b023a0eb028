"""Exponential moving average of network weights (Yazıcı et al. 2019; Karras et al.)."""

from __future__ import annotations

import copy

import torch
from torch import nn


class EMA:
    """A frozen copy of a network whose weights trail the live ones: w <- d*w + (1-d)*w_live."""

    def __init__(self, network: nn.Module, decay: float) -> None:
        self.decay = decay
        self.network = copy.deepcopy(network).eval().requires_grad_(False)
        self._live = network

    @torch.no_grad()
    def update(self) -> None:
        ema_params = list(self.network.parameters())
        live_params = list(self._live.parameters())
        torch._foreach_lerp_(ema_params, live_params, 1.0 - self.decay)
        for ema_buffer, live_buffer in zip(self.network.buffers(), self._live.buffers(),
                                           strict=True):
            ema_buffer.copy_(live_buffer)
