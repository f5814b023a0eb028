"""Data-parallel training under torchrun, for any number of players.

Rather than wrapping networks in DistributedDataParallel (which assumes one forward and one
backward per network per step), each player's gradients are averaged across processes right
after its backward. That is the same mathematics as DDP and works unchanged for games where a
player's loss runs through another player's networks.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import torch
import torch.distributed as dist


@dataclass(frozen=True)
class Distribution:
    rank: int = 0
    world_size: int = 1
    local_rank: int = 0

    @property
    def enabled(self) -> bool:
        return self.world_size > 1

    @property
    def is_main(self) -> bool:
        return self.rank == 0


def setup(device_kind: str) -> Distribution:
    """Join the process group torchrun describes in the environment.

    On GPUs each process takes the GPU of its local rank (before the group starts, so NCCL
    binds to it) and the group has both backends, gloo for CPU tensors and nccl for CUDA ones,
    so a collective on either kind of tensor works.
    """
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return Distribution()
    local_rank = int(os.environ.get("LOCAL_RANK", 0))
    if device_kind == "cuda":
        torch.cuda.set_device(local_rank)
    if not dist.is_initialized():
        dist.init_process_group(backend="cpu:gloo,cuda:nccl" if device_kind == "cuda"
                                else "gloo")
    return Distribution(dist.get_rank(), dist.get_world_size(), local_rank)


def gather_objects(obj: object, distribution: Distribution) -> list[object]:
    """Every process's `obj`, in rank order (the RNG states a checkpoint keeps per rank)."""
    if not distribution.enabled:
        return [obj]
    out: list[object] = [None] * distribution.world_size
    dist.all_gather_object(out, obj)
    return out


def broadcast_parameters(modules: list[torch.nn.Module]) -> None:
    """Start every process from rank 0's weights."""
    for module in modules:
        for tensor in [*module.parameters(), *module.buffers()]:
            dist.broadcast(tensor.data, src=0)


def all_mean(tensor: torch.Tensor, world_size: int) -> None:
    dist.all_reduce(tensor)
    tensor /= world_size


def mean_across(window: dict[str, list], device: torch.device, world_size: int
                ) -> dict[str, float]:
    """Mean of each logged value since the last record, over all processes: computed on the
    device and read back once."""
    if not window:
        return {}
    keys = sorted(window)
    values = torch.stack([torch.stack([torch.as_tensor(v, dtype=torch.float32, device=device)
                                       for v in window[k]]).mean() for k in keys])
    if world_size > 1:
        all_mean(values, world_size)
    return dict(zip(keys, values.tolist(), strict=True))


def average_gradients(params: list[torch.Tensor], world_size: int) -> None:
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return
    flat = torch.cat([g.reshape(-1) for g in grads])
    all_mean(flat, world_size)
    offset = 0
    for grad in grads:
        n = grad.numel()
        grad.copy_(flat[offset : offset + n].view_as(grad))
        offset += n


def barrier(distribution: Distribution) -> None:
    if distribution.enabled:
        dist.barrier()
