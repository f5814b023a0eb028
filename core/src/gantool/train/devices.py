"""Where a network lives, so evaluation and snapshot code can meet it there."""

from __future__ import annotations

import torch
from torch import nn


def device_of(network: nn.Module) -> torch.device:
    """The device of a network's first parameter or buffer (CPU for one with neither)."""
    for tensor in (*network.parameters(), *network.buffers()):
        return tensor.device
    return torch.device("cpu")
