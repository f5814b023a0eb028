"""Stabilisation techniques from the GAN literature, as small composable functions.

Penalties return a scalar to add to the critic's loss; the caller picks the weight. Techniques
that act on the update rather than the loss live on the `Player` (weight clipping, gradient-norm
clipping, TTUR learning rates, update ratios) or in the trainer (EMA of generator weights).
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor, nn
from torch.func import functional_call

from gantool.train.ema import EMA

Critic = Callable[[Tensor], Tensor]


def _grad_norm(critic: Critic, points: Tensor) -> Tensor:
    """Per-sample input-gradient norms, always in fp32: under mixed precision a penalty's
    squared gradients overflow fp16 and lose most of their digits in bf16."""
    points = points.detach()
    if points.dtype in (torch.float16, torch.bfloat16):
        points = points.float()
    points.requires_grad_(True)
    with torch.autocast(device_type="cuda" if points.is_cuda else "cpu", enabled=False):
        scores = critic(points)
        (grad,) = torch.autograd.grad(scores.to(points.dtype).sum(), points, create_graph=True)
        return grad.flatten(1).norm(2, dim=1)


def _mix(a: Tensor, b: Tensor) -> Tensor:
    alpha = torch.rand(a.shape[0], *([1] * (a.dim() - 1)), device=a.device, dtype=a.dtype)
    return alpha * a + (1.0 - alpha) * b


def gradient_penalty(critic: Critic, real: Tensor, fake: Tensor, target: float = 1.0) -> Tensor:
    """WGAN-GP (Gulrajani et al. 2017): E[(||grad D(x_hat)|| - 1)^2] on real/fake interpolates."""
    return (_grad_norm(critic, _mix(real.detach(), fake.detach())) - target).pow(2).mean()


def dragan_penalty(critic: Critic, real: Tensor, c: float = 0.5) -> Tensor:
    """DRAGAN (Kodali et al. 2017): the same penalty around noisy perturbations of real data."""
    real = real.detach()
    noise = c * real.std() * torch.rand_like(real)
    return (_grad_norm(critic, _mix(real, real + noise)) - 1.0).pow(2).mean()


def r1_penalty(critic: Critic, real: Tensor) -> Tensor:
    """R1 (Mescheder et al. 2018): E[||grad D(x)||^2] on real data; multiply by gamma/2."""
    return _grad_norm(critic, real).pow(2).mean()


def clip_weights(module: nn.Module, c: float) -> None:
    """Clamp every parameter to [-c, c] (original WGAN); `Player.weight_clip` does this per step."""
    with torch.no_grad():
        for p in module.parameters():
            p.clamp_(-c, c)


_SPECTRAL_NORMED = (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.ConvTranspose1d, nn.ConvTranspose2d,
                    nn.ConvTranspose3d, nn.Linear, nn.Embedding)


def spectral_norm(module: nn.Module) -> nn.Module:
    """Spectral normalisation (Miyato et al. 2018) on every conv and linear layer, in place.

    `module` itself counts: a bare `nn.Linear` is normalised, not skipped for having no children.
    """
    if isinstance(module, _SPECTRAL_NORMED):
        return nn.utils.parametrizations.spectral_norm(module)  # registers on module itself
    for child in module.children():
        spectral_norm(child)
    return module


def instance_noise(x: Tensor, std: float, progress: float) -> Tensor:
    """Gaussian instance noise (Sønderby et al. 2017), annealed linearly to zero over training."""
    sigma = std * max(0.0, 1.0 - progress)
    return x + sigma * torch.randn_like(x) if sigma > 0 else x


def feature_matching(real_features: Tensor, fake_features: Tensor) -> Tensor:
    """Feature matching (Salimans et al. 2016): ||E f(x) - E f(G(z))||^2 on a critic layer."""
    return (real_features.detach().mean(0) - fake_features.mean(0)).pow(2).sum()


def pack(x: Tensor, m: int) -> Tensor:
    """PacGAN (Lin et al. 2018): join m samples into one critic input along the channel axis."""
    if x.shape[0] % m:
        raise ValueError(f"batch of {x.shape[0]} does not split into packs of {m}")
    return x.reshape(x.shape[0] // m, m * x.shape[1], *x.shape[2:])


class HistoricalAverage(nn.Module):
    """Historical averaging (Salimans et al. 2016): penalise ||theta - mean of past thetas||^2.

    A module (its running mean is a buffer) so checkpoints carry it: add it to the game's
    networks, call `update()` after the owner's step, add `penalty()` to the owner's loss.
    """

    def __init__(self, network: nn.Module) -> None:
        super().__init__()
        self._network = [network]  # a list keeps it out of this module's state
        for i, p in enumerate(network.parameters()):
            self.register_buffer(f"mean_{i}", p.detach().clone())
        self.register_buffer("count", torch.ones(()))

    def _pairs(self):
        return zip(self._network[0].parameters(), (getattr(self, f"mean_{i}")
                                                   for i in range(len(self._buffers) - 1)),
                   strict=True)

    def penalty(self) -> Tensor:
        return sum((p - mean).pow(2).sum() for p, mean in self._pairs())

    @torch.no_grad()
    def update(self) -> None:
        self.count += 1
        for p, mean in self._pairs():
            mean += (p.detach() - mean) / self.count


def unrolled(
    critic: nn.Module,
    critic_loss: Callable[[Callable[[Tensor], Tensor]], Tensor],
    steps: int,
    lr: float,
) -> Callable[[Tensor], Tensor]:
    """Unrolled GAN (Metz et al. 2017): the critic after `steps` differentiable SGD steps.

    `critic_loss(f)` computes the critic's loss with `f` standing in for the critic. The
    returned function evaluates the unrolled critic; the generator's loss through it carries
    the second-order terms that let the generator anticipate the critic's response.
    """
    params = dict(critic.named_parameters())
    buffers = dict(critic.named_buffers())
    for _ in range(steps):
        def as_critic(x: Tensor, _p: dict = params) -> Tensor:
            return functional_call(critic, (_p, buffers), (x,))

        loss = critic_loss(as_critic)
        grads = torch.autograd.grad(loss, list(params.values()), create_graph=True)
        params = {name: p - lr * g for (name, p), g in zip(params.items(), grads, strict=True)}
    return lambda x: functional_call(critic, (params, buffers), (x,))


__all__ = [
    "EMA", "gradient_penalty", "dragan_penalty", "r1_penalty", "clip_weights", "spectral_norm",
    "instance_noise", "feature_matching", "pack", "HistoricalAverage", "unrolled",
]
