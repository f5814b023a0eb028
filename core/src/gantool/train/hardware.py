"""Fitting a run to the hardware: device, arithmetic, determinism and memory layout.

Kept apart from the trainer's loop so the loop reads the same on a CPU and on GPUs.
"""

from __future__ import annotations

import os
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import torch
from torch import Tensor, nn

from gantool.errors import GantoolError


def resolve_device(name: str) -> torch.device:
    """The device `--device` names, refusing one this machine does not have."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        device = torch.device(name)
    except (RuntimeError, ValueError):
        raise GantoolError(f"--device {name!r} is not a device; use cpu, cuda, cuda:N or auto") \
            from None
    if device.type == "cuda":
        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
        if count == 0:
            raise GantoolError(f"--device {name!r} asked for, but no CUDA GPU is available; "
                               "use cpu")
        if device.index is not None and device.index >= count:
            raise GantoolError(f"--device {name!r}: this machine has {count} CUDA GPU(s), "
                               f"cuda:0 to cuda:{count - 1}")
    elif device.type != "cpu":
        raise GantoolError(f"--device {name!r} is not supported; use cpu, cuda, cuda:N or auto")
    return device


def to_device(batch: Any, device: torch.device, channels_last: bool = False) -> Any:
    """The batch on `device` (asynchronously from pinned memory), images channels-last."""
    if isinstance(batch, Tensor):
        moved = batch.to(device, non_blocking=True)
        if channels_last and moved.dim() == 4:
            moved = moved.contiguous(memory_format=torch.channels_last)
        return moved
    if isinstance(batch, dict):
        return {k: to_device(v, device, channels_last) for k, v in batch.items()}
    if isinstance(batch, list | tuple):
        return type(batch)(to_device(v, device, channels_last) for v in batch)
    return batch


def autocast_dtype(precision: str, device: torch.device) -> torch.dtype | None:
    """The autocast type of `--precision` (None: fp32). `auto` takes bf16 where the GPU has
    it natively, fp16 on older GPUs (V100, T4), and fp32 on CPUs."""
    if precision == "auto":
        if device.type != "cuda":
            return None
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return {"fp32": None, "bf16": torch.bfloat16, "fp16": torch.float16}[precision]


def autocast(dtype: torch.dtype | None, device: torch.device) -> AbstractContextManager:
    if dtype is None:
        return nullcontext()
    return torch.autocast(device_type=device.type, dtype=dtype)


def make_deterministic() -> None:
    """Deterministic kernels, cuDNN without autotuning and TF32 off: `--deterministic`."""
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    torch.use_deterministic_algorithms(True)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False


_NORMS = (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d)


def synchronise_batch_norm(networks: dict[str, nn.Module], device: torch.device
                           ) -> dict[str, nn.Module]:
    """BatchNorm statistics over the global batch under torchrun: SyncBatchNorm on GPUs.
    PyTorch has no SyncBatchNorm on CPUs, so such a run is refused rather than silently
    normalising each process's slice on its own."""
    with_norms = [n for n, net in networks.items() if any(isinstance(m, _NORMS)
                                                          for m in net.modules())]
    if not with_norms:
        return networks
    if device.type != "cuda":
        raise GantoolError(f"networks {', '.join(with_norms)} use BatchNorm, which torchrun on "
                           "CPUs cannot synchronise; train them in one process or on GPUs")
    return {n: nn.SyncBatchNorm.convert_sync_batchnorm(net) if n in with_norms else net
            for n, net in networks.items()}
