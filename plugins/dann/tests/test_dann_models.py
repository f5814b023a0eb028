"""The gradient-reversal layer and the paper's adaptation schedule."""

import json
import math
from pathlib import Path

import pytest
import torch

from gantool_dann.config import DannConfig
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
    config = DannConfig(source=Path("s"), target=Path("t"), features=8, hidden=16)
    metadata = {"channels": "3", "image_size": str(size),
                "classes": json.dumps([str(k) for k in range(10)])}
    nets = build_networks(config, metadata)
    features = nets["features"](torch.rand(2, 3, size, size))
    assert nets["label"](features).shape == (2, 10)
    assert nets["domain"](features).shape == (2, 1)


def test_sgd_momentum_and_the_paper_annealing_reach_the_optimizer(domains):
    from gantool.train.optim import build_optimizer
    from gantool_dann.training import build_game

    config = DannConfig(source=domains[0], target=domains[1], optimizer="sgd", momentum=0.8,
                        features=4, hidden=8)
    game = build_game(config)
    (player,) = game.players
    params = [p for name in player.networks for p in game.networks[name].parameters()]
    assert build_optimizer(player, params).param_groups[0]["momentum"] == 0.8
    assert player.lr_schedule(0.0) == 1.0
    assert player.lr_schedule(1.0) == pytest.approx(11 ** -0.75)
