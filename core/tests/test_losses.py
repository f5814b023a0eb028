"""Each objective against its formula written out with sigmoid and log, on small tensors."""

from __future__ import annotations

import pytest
import torch
from torch import Tensor

from gantool.errors import GantoolError
from gantool.losses import OBJECTIVE_NAMES, get_objective
from tensor_asserts import assert_close


@pytest.fixture
def scores() -> tuple[Tensor, Tensor]:
    """Critic outputs on a real and a fake batch, with both signs and large magnitudes."""
    gen = torch.Generator().manual_seed(0)
    real = torch.randn(7, 1, generator=gen, dtype=torch.float64) * 3 + 0.5
    fake = torch.randn(7, 1, generator=gen, dtype=torch.float64) * 3 - 0.5
    return real, fake


def log_sigmoid(x: Tensor) -> Tensor:
    return torch.log(torch.sigmoid(x))


def log_one_minus_sigmoid(x: Tensor) -> Tensor:
    return torch.log(1 - torch.sigmoid(x))


def bce(x: Tensor, t: float) -> Tensor:
    return -(t * log_sigmoid(x) + (1 - t) * log_one_minus_sigmoid(x)).mean()


TARGETS = [1.0, 0.9]


@pytest.mark.parametrize("t", TARGETS)
def test_minimax(scores, t):
    real, fake = scores
    obj = get_objective("minimax")
    expected_d = -(t * log_sigmoid(real) + (1 - t) * log_one_minus_sigmoid(real)).mean() \
        - log_one_minus_sigmoid(fake).mean()
    assert_close(obj.d_loss(real, fake, real_target=t), expected_d)
    assert_close(obj.g_loss(fake), log_one_minus_sigmoid(fake).mean())


@pytest.mark.parametrize("t", TARGETS)
def test_non_saturating(scores, t):
    real, fake = scores
    obj = get_objective("non-saturating")
    assert_close(obj.d_loss(real, fake, real_target=t),
                               bce(real, t) + bce(fake, 0.0))
    assert_close(obj.g_loss(fake), -log_sigmoid(fake).mean())


def test_non_saturating_has_strong_gradient_where_minimax_saturates():
    fake = torch.tensor([-8.0], requires_grad=True)  # the critic confidently rejects G(z)
    (g_minimax,) = torch.autograd.grad(get_objective("minimax").g_loss(fake), fake)
    (g_ns,) = torch.autograd.grad(get_objective("non-saturating").g_loss(fake), fake)
    assert g_minimax.abs() < 1e-3 < 0.99 < g_ns.abs()


def test_label_smoothing_is_one_sided(scores):
    real, fake = scores
    obj = get_objective("non-saturating")
    smoothed = obj.d_loss(real, fake, real_target=0.9)
    assert not torch.allclose(smoothed, obj.d_loss(real, fake))
    # Only the real term changes: fakes keep their target 0.
    assert_close(smoothed - obj.d_loss(real, fake), bce(real, 0.9) - bce(real, 1.0))


@pytest.mark.parametrize("t", TARGETS)
def test_least_squares(scores, t):
    real, fake = scores
    obj = get_objective("least-squares")
    assert_close(obj.d_loss(real, fake, real_target=t),
                               0.5 * ((real - t) ** 2).mean() + 0.5 * (fake**2).mean())
    assert_close(obj.g_loss(fake), 0.5 * ((fake - 1) ** 2).mean())


def test_wasserstein(scores):
    real, fake = scores
    obj = get_objective("wasserstein")
    assert_close(obj.d_loss(real, fake), fake.mean() - real.mean())
    assert_close(obj.g_loss(fake), -fake.mean())


def test_hinge(scores):
    real, fake = scores
    obj = get_objective("hinge")
    expected = torch.clamp(1 - real, min=0).mean() + torch.clamp(1 + fake, min=0).mean()
    assert_close(obj.d_loss(real, fake), expected)
    assert_close(obj.g_loss(fake), -fake.mean())


@pytest.mark.parametrize("t", TARGETS)
def test_relativistic_average(scores, t):
    real, fake = scores
    obj = get_objective("relativistic-average")
    r, f = real - fake.mean(), fake - real.mean()
    expected_d = -(t * log_sigmoid(r) + (1 - t) * log_one_minus_sigmoid(r)).mean() \
        - log_one_minus_sigmoid(f).mean()
    assert_close(obj.d_loss(real, fake, real_target=t), expected_d)
    expected_g = -log_sigmoid(f).mean() - log_one_minus_sigmoid(r).mean()
    assert_close(obj.g_loss(fake, real), expected_g)


def test_relativistic_generator_loss_needs_real_and_does_not_train_the_critic(scores):
    real, fake = scores
    obj = get_objective("relativistic-average")
    with pytest.raises(ValueError, match="real data"):
        obj.g_loss(fake)
    real = real.clone().requires_grad_(True)
    fake = fake.clone().requires_grad_(True)
    obj.g_loss(fake, real).backward()
    assert real.grad is None and fake.grad is not None


def test_get_objective_by_name():
    assert set(OBJECTIVE_NAMES) == {"minimax", "non-saturating", "least-squares", "wasserstein",
                                    "hinge", "relativistic-average"}
    for name in OBJECTIVE_NAMES:
        assert get_objective(name).name == name


def test_unknown_objective_names_the_known_ones():
    with pytest.raises(GantoolError, match=r"unknown objective 'nope'.*hinge"):
        get_objective("nope")
