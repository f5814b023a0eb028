"""The generator on torch, with the CPU settings that measured fastest (see the bench)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import torch
from torch import Tensor

from gantool_superres.models import SRResNet
from gantool_superres.weights import load_generator

if TYPE_CHECKING:
    from gantool_superres.engines import Forward


def make_forward(model: SRResNet, channels_last: bool = True,
                 bf16: bool = False) -> Callable[[Tensor], Tensor]:
    """The model's tensor forward: inference mode, channels_last, bf16 autocast if asked."""
    if channels_last:
        model = model.to(memory_format=torch.channels_last)

    def forward(x: Tensor) -> Tensor:
        if channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        with torch.inference_mode(), torch.autocast("cpu", torch.bfloat16, enabled=bf16):
            return model(x)

    return forward


def torch_forward(weights: Path, scale: int, bf16: bool, threads: int) -> Forward:
    if threads > 0:
        torch.set_num_threads(threads)
    forward = make_forward(load_generator(weights, scale), bf16=bf16)
    return lambda x: forward(torch.from_numpy(x)).float().numpy()
