from collections.abc import Iterator

import pytest
import torch

from gantool.config import build
from gantool.demos.gaussians_config import GaussiansConfig


@pytest.fixture
def small_gaussians():
    """A tiny 8-Gaussians configuration that trains in well under a second."""

    def make(**overrides):
        values = {"steps": 20, "batch_size": 32, "hidden": 16, "z_dim": 4, "log_every": 1,
                  "checkpoint_every": 1000, "device": "cpu", **overrides}
        return build(GaussiansConfig, values)

    return make


@pytest.fixture(autouse=True, scope="session")
def one_thread() -> Iterator[None]:
    """The tensors here are tiny: on a busy CPU, intra-op threads cost more than they save."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
