"""Tensor comparison for tests (torch.testing.assert_close spends seconds importing)."""

import torch
from torch import Tensor


def assert_close(actual: Tensor, expected: Tensor, rtol: float = 1e-5, atol: float = 1e-6) -> None:
    """torch.allclose with shapes checked (torch.testing.assert_close imports for seconds)."""
    assert actual.shape == expected.shape, f"shape {tuple(actual.shape)} != {tuple(expected.shape)}"
    assert torch.allclose(actual, expected, rtol=rtol, atol=atol), f"{actual} != {expected}"
