"""Where a network lives, so evaluation and snapshot code can meet it there, and where
random numbers for a device are drawn."""

from __future__ import annotations

import torch
from torch import nn


def device_of(network: nn.Module) -> torch.device:
    """The device of a network's first parameter or buffer (CPU for one with neither)."""
    for tensor in (*network.parameters(), *network.buffers()):
        return tensor.device
    return torch.device("cpu")


def draw_device(device: torch.device) -> torch.device:
    """Where random numbers for `device` are drawn: a GPU draws its own (a CUDA generator, no
    copy from the host); anywhere else the CPU does."""
    return device if device.type == "cuda" else torch.device("cpu")
