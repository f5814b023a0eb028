"""The gradient-reversal layer and the paper's adaptation schedule."""

import math

import pytest
import torch

from gantool_dann.models import adaptation_weight, build_networks, reverse_gradient


def test_reversal_is_identity_forward_and_scaled_negation_backward():
    x = torch.randn(4, 3, requires_grad=True)
    y = reverse_gradient(x, 0.25)
    assert torch.equal(y, x)
    (y * torch.arange(3.0)).sum().backward()
    assert torch.allclose(x.grad, -0.25 * torch.arange(3.0).expand(4, 3))


def test_schedule_rises_from_zero_to_one_as_in_the_paper():
    assert adaptation_weight(0.0) == 0.0
    assert adaptation_weight(0.5) == pytest.approx(2 / (1 + math.exp(-5)) - 1)
    assert adaptation_weight(1.0) == pytest.approx(1.0, abs=1e-4)
    values = [adaptation_weight(p / 10) for p in range(11)]
    assert values == sorted(values)


@pytest.mark.parametrize("size", [8, 16, 28])
def test_networks_fit_the_image_size(size):
    nets = build_networks(channels=3, image_size=size, classes=10, width=8, hidden=16)
    features = nets["features"](torch.rand(2, 3, size, size))
    assert nets["label"](features).shape == (2, 10)
    assert nets["domain"](features).shape == (2, 1)
