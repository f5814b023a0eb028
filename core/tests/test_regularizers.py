"""Each regulariser against its formula on critics whose gradients are known in closed form."""

from __future__ import annotations

import pytest
import torch
from torch import Tensor, nn

from gantool.regularizers import (
    EMA,
    HistoricalAverage,
    clip_weights,
    dragan_penalty,
    feature_matching,
    gradient_penalty,
    instance_noise,
    pack,
    r1_penalty,
    spectral_norm,
    unrolled,
)
from tensor_asserts import assert_close

W = torch.tensor([1.0, 2.0, 2.0, 4.0], dtype=torch.float64)  # ||W|| = 5




def linear_critic(w: Tensor):
    """D(x) = w . x: its gradient is w at every point, so ||grad D|| = ||w|| everywhere."""
    return lambda x: x.flatten(1) @ w


def quadratic_critic(x: Tensor) -> Tensor:
    """D(x) = ||x||^2 / 2: its gradient at x is x itself, so penalties see where they look."""
    return 0.5 * x.flatten(1).pow(2).sum(1)


@pytest.fixture
def batches() -> tuple[Tensor, Tensor]:
    gen = torch.Generator().manual_seed(0)
    real = torch.randn(6, 1, 2, 2, generator=gen, dtype=torch.float64)
    fake = torch.randn(6, 1, 2, 2, generator=gen, dtype=torch.float64) + 2
    return real, fake


def test_gradient_penalty_of_linear_critic(batches):
    real, fake = batches
    w = W.clone().requires_grad_(True)
    penalty = gradient_penalty(linear_critic(w), real, fake)
    assert_close(penalty, torch.tensor(16.0, dtype=torch.float64))  # (5 - 1)^2
    assert_close(gradient_penalty(linear_critic(W), real, fake, target=2.0),
                               torch.tensor(9.0, dtype=torch.float64))
    # Differentiable w.r.t. the critic: d/dw (||w|| - 1)^2 = 2 (||w|| - 1) w / ||w||.
    (grad,) = torch.autograd.grad(penalty, w)
    assert_close(grad, 2 * 4 * W / 5)


def test_gradient_penalty_looks_at_per_sample_interpolates(batches):
    real, fake = batches
    torch.manual_seed(1)
    penalty = gradient_penalty(quadratic_critic, real, fake)
    torch.manual_seed(1)
    alpha = torch.rand(6, 1, 1, 1, dtype=torch.float64)
    x_hat = alpha * real + (1 - alpha) * fake
    assert_close(penalty, (x_hat.flatten(1).norm(dim=1) - 1).pow(2).mean())


def test_r1_penalty_of_linear_critic(batches):
    real, _ = batches
    w = W.clone().requires_grad_(True)
    penalty = r1_penalty(linear_critic(w), real)
    assert_close(penalty, torch.tensor(25.0, dtype=torch.float64))  # ||w||^2
    (grad,) = torch.autograd.grad(penalty, w)
    assert_close(grad, 2 * W)


def test_r1_penalty_is_taken_on_real_data(batches):
    real, _ = batches
    assert_close(r1_penalty(quadratic_critic, real),
                               real.flatten(1).pow(2).sum(1).mean())


def test_dragan_penalty_of_linear_critic(batches):
    real, _ = batches
    assert_close(dragan_penalty(linear_critic(W), real),
                               torch.tensor(16.0, dtype=torch.float64))


def test_dragan_penalty_perturbs_real_data_uniformly(batches):
    real, _ = batches
    torch.manual_seed(2)
    penalty = dragan_penalty(quadratic_critic, real, c=0.5)
    torch.manual_seed(2)
    noisy = real + 0.5 * real.std() * torch.rand_like(real)
    alpha = torch.rand(6, 1, 1, 1, dtype=torch.float64)
    x_hat = alpha * real + (1 - alpha) * noisy
    assert_close(penalty, (x_hat.flatten(1).norm(dim=1) - 1).pow(2).mean())


def largest_singular_value(weight: Tensor) -> float:
    return torch.linalg.matrix_norm(weight.detach().flatten(1), ord=2).item()


def test_spectral_norm_bounds_the_largest_singular_value():
    torch.manual_seed(0)
    layer = nn.Linear(8, 6)
    with torch.no_grad():
        layer.weight.mul_(10)
    assert largest_singular_value(layer.weight) > 5
    layer = spectral_norm(layer)
    layer.train()
    for _ in range(5):  # one power iteration per training forward
        layer(torch.randn(4, 8))
    assert largest_singular_value(layer.weight) == pytest.approx(1.0, abs=1e-3)


def test_spectral_norm_reaches_nested_layers():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(), nn.Sequential(nn.Flatten(),
                                                                     nn.Linear(16, 1)))
    with torch.no_grad():
        for p in net.parameters():
            p.mul_(10)
    spectral_norm(net).train()
    for _ in range(10):
        net(torch.randn(2, 3, 4, 4))
    assert nn.utils.parametrize.is_parametrized(net[0], "weight")
    assert nn.utils.parametrize.is_parametrized(net[2][1], "weight")
    assert largest_singular_value(net[2][1].weight) == pytest.approx(1.0, abs=1e-3)


def test_clip_weights():
    layer = nn.Linear(3, 2)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor([[-1.0, 0.005, 0.2], [0.0, -0.003, 3.0]]))
        layer.bias.copy_(torch.tensor([0.5, -0.01]))
    clip_weights(layer, 0.01)
    assert_close(layer.weight.data,
                               torch.tensor([[-0.01, 0.005, 0.01], [0.0, -0.003, 0.01]]))
    assert_close(layer.bias.data, torch.tensor([0.01, -0.01]))


def test_instance_noise_anneals_to_zero():
    torch.manual_seed(0)
    x = torch.zeros(200_000)
    assert instance_noise(x, std=0.3, progress=0.0).std().item() == pytest.approx(0.3, rel=0.02)
    assert instance_noise(x, std=0.3, progress=0.5).std().item() == pytest.approx(0.15, rel=0.02)
    assert instance_noise(x, std=0.3, progress=0.5).mean().item() == pytest.approx(0.0, abs=3e-3)
    assert instance_noise(x, std=0.3, progress=1.0) is x
    assert instance_noise(x, std=0.3, progress=1.5) is x


def test_feature_matching():
    real = torch.tensor([[1.0, 2.0, 0.0], [3.0, 0.0, 0.0]], requires_grad=True)
    fake = torch.tensor([[0.0, 0.0, 1.0], [0.0, 2.0, 1.0], [3.0, 1.0, 1.0]], requires_grad=True)
    loss = feature_matching(real, fake)  # means (2, 1, 0) and (1, 1, 1)
    assert_close(loss, torch.tensor(2.0))
    loss.backward()
    assert real.grad is None  # only the generator is trained by it
    assert_close(fake.grad, (2 / 3) * (fake.mean(0) - real.mean(0)).expand(3, 3))


def test_pack():
    x = torch.arange(6 * 3 * 2 * 2.0).reshape(6, 3, 2, 2)
    packed = pack(x, 2)
    assert packed.shape == (3, 6, 2, 2)
    assert_close(packed[1], torch.cat([x[2], x[3]]))
    assert pack(torch.zeros(6, 5), 3).shape == (2, 15)
    with pytest.raises(ValueError, match="packs of 4"):
        pack(x, 4)


def set_params(net: nn.Module, value: float) -> None:
    with torch.no_grad():
        for p in net.parameters():
            p.fill_(value)


def test_historical_average_running_mean_and_penalty():
    net = nn.Linear(2, 1)  # 3 parameters
    set_params(net, 1.0)
    history = HistoricalAverage(net)
    assert history.penalty().item() == 0.0
    set_params(net, 3.0)
    history.update()  # mean of (1, 3) = 2
    assert_close(history.penalty(), torch.tensor(3 * (3.0 - 2.0) ** 2))
    set_params(net, 8.0)
    history.update()  # mean of (1, 3, 8) = 4
    assert_close(history.mean_0, torch.full((1, 2), 4.0))
    assert_close(history.penalty(), torch.tensor(3 * (8.0 - 4.0) ** 2))
    history.penalty().backward()
    assert_close(net.weight.grad, torch.full((1, 2), 2 * (8.0 - 4.0)))
    assert set(history.state_dict()) == {"mean_0", "mean_1", "count"}


@pytest.fixture
def tiny_game() -> tuple[nn.Linear, Tensor, Tensor]:
    torch.manual_seed(0)
    critic = nn.Linear(2, 1)
    real = torch.randn(5, 2)
    fake = torch.randn(5, 2).requires_grad_(True)  # stands in for the generator's output
    return critic, real, fake


def wasserstein_critic_loss(real: Tensor, fake: Tensor):
    return lambda f: f(fake).mean() - f(real).mean()


def test_unrolled_with_no_steps_is_the_critic(tiny_game):
    critic, real, fake = tiny_game
    unrolled_critic = unrolled(critic, wasserstein_critic_loss(real, fake), steps=0, lr=0.1)
    x = torch.randn(3, 2)
    assert_close(unrolled_critic(x), critic(x))


def test_unrolled_one_step_is_an_sgd_step(tiny_game):
    critic, real, fake = tiny_game
    lr = 0.1
    before = [p.detach().clone() for p in critic.parameters()]
    unrolled_critic = unrolled(critic, wasserstein_critic_loss(real, fake), steps=1, lr=lr)

    loss = wasserstein_critic_loss(real, fake)(critic)
    grad_w, grad_b = torch.autograd.grad(loss, [critic.weight, critic.bias])
    w = critic.weight - lr * grad_w
    b = critic.bias - lr * grad_b
    x = torch.randn(3, 2)
    assert_close(unrolled_critic(x), x @ w.T + b)
    for p, p0 in zip(critic.parameters(), before, strict=True):
        assert torch.equal(p, p0)  # the live critic is untouched


def test_unrolled_generator_gradient_anticipates_the_critic(tiny_game):
    critic, real, fake = tiny_game
    lr, n = 0.1, fake.shape[0]
    g_loss = -unrolled(critic, wasserstein_critic_loss(real, fake), steps=1, lr=lr)(fake).mean()
    (grad,) = torch.autograd.grad(g_loss, fake)
    # w' = w - lr (mean fake - mean real); g_loss = -mean_i w'.fake_i - b, so
    # d g_loss / d fake_k = -w'/n + lr * mean(fake) / n: the second term is the unrolling's.
    w_step = critic.weight - lr * (fake.mean(0) - real.mean(0))
    expected = (-w_step / n + lr * fake.mean(0) / n).expand(n, 2)
    assert_close(grad, expected)
    assert not torch.allclose(grad, (-critic.weight / n).expand(n, 2))


def test_ema_update():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
    ema = EMA(net, decay=0.9)
    old = [p.detach().clone() for p in ema.network.parameters()]
    with torch.no_grad():
        for p in net.parameters():
            p.add_(1.0)
    net(torch.randn(4, 3))  # moves the batch-norm running statistics
    ema.update()
    for e, o, live in zip(ema.network.parameters(), old, net.parameters(), strict=True):
        assert_close(e, 0.9 * o + 0.1 * live.detach())
    for e, live in zip(ema.network.buffers(), net.buffers(), strict=True):
        assert_close(e, live)  # buffers are copied, not averaged
    assert not any(p.requires_grad for p in ema.network.parameters())
    assert not ema.network.training
