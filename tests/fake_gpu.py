"""Play a game on a GPU that is not there: PyTorch's meta device stands in for it.

Meta tensors carry a device, a shape and a dtype but no data, and PyTorch refuses to mix them
with CPU tensors exactly as it refuses to mix CUDA and CPU tensors ("Tensor on device meta is
not on the expected device cpu"), so code that forgets to move a tensor fails here as it
would on a GPU. Autograd runs on them, so losses with gradient penalties play too (fake CUDA
tensors cannot run autograd without a CUDA runtime).

Inside a player's loss any read-back from the device (`.item()`, `.cpu()`, `float()`, ...)
fails: on a GPU it would stall every update. In evaluation and snapshot code a read-back is
fine (once per evaluation) and gives zeros, so that code can run to the end on CPU values.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import torch

DEVICE = torch.device("meta")


class ReadBackFromGPU(AssertionError):
    """A loss read a value back from the device: a host sync on every update of a GPU."""


class _Reads:
    strict = False


def _zeros(tensor: torch.Tensor, dtype: torch.dtype | None = None) -> torch.Tensor:
    return torch.zeros(tensor.shape, dtype=dtype or tensor.dtype)


def _checked(name: str, original: Any) -> Any:
    def read_back(self: torch.Tensor, *args: Any, **kwargs: Any) -> Any:
        if not self.is_meta:
            return original(self, *args, **kwargs)
        if _Reads.strict:
            raise ReadBackFromGPU(f"Tensor.{name}() inside a loss reads back from the GPU")
        return original(_zeros(self), *args, **kwargs)

    return read_back


def _moved(original: Any) -> Any:
    def to(self: torch.Tensor, *args: Any, **kwargs: Any) -> Any:
        if self.is_meta:
            parsed = {k: v for k, v in kwargs.items() if k != "copy"}
            device, dtype, _, _ = torch._C._nn._parse_to(*args, **parsed)
            if device is not None and device.type == "cpu":
                if _Reads.strict:
                    raise ReadBackFromGPU("a loss moves a tensor from the GPU to the CPU")
                return _zeros(self, dtype)
        return original(self, *args, **kwargs)

    return to


READS = ("item", "tolist", "numpy", "__array__", "__float__", "__int__", "__bool__",
         "__index__")


@contextlib.contextmanager
def fake_gpu() -> Iterator[None]:
    """Inside, read-backs from meta tensors are checked (see the module docstring)."""
    originals = {name: getattr(torch.Tensor, name) for name in (*READS, "to", "cpu")}
    try:
        for name in READS:
            setattr(torch.Tensor, name, _checked(name, originals[name]))
        torch.Tensor.to = _moved(originals["to"])
        torch.Tensor.cpu = lambda self, *a, **k: torch.Tensor.to(self, "cpu")
        yield
    finally:
        for name, original in originals.items():
            setattr(torch.Tensor, name, original)


@contextlib.contextmanager
def in_a_loss() -> Iterator[None]:
    """Any read-back fails while inside."""
    _Reads.strict = True
    try:
        yield
    finally:
        _Reads.strict = False
