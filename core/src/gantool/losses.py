"""Adversarial objectives, each a named object a config selects.

Every objective maps raw critic outputs (logits or scores, any shape) to a discriminator loss
and a generator loss. BCE-based objectives take `real_target` for one-sided label smoothing
(Salimans et al. 2016): 0.9 instead of 1 for real samples, never smoothing fakes.
"""

from __future__ import annotations

import torch.nn.functional as F
from torch import Tensor


def _bce(logits: Tensor, target: float) -> Tensor:
    """Binary cross-entropy against a constant target, stable in logit space."""
    return (target * F.softplus(-logits) + (1.0 - target) * F.softplus(logits)).mean()


class Objective:
    """d_loss(real, fake) is minimised by the critic; g_loss(fake, real) by the generator."""

    name = "objective"

    def d_loss(self, real: Tensor, fake: Tensor, real_target: float = 1.0) -> Tensor:
        raise NotImplementedError

    def g_loss(self, fake: Tensor, real: Tensor | None = None) -> Tensor:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<objective {self.name}>"


class Minimax(Objective):
    """The original saturating game (Goodfellow et al. 2014): G minimises log(1 - D(G(z)))."""

    name = "minimax"

    def d_loss(self, real: Tensor, fake: Tensor, real_target: float = 1.0) -> Tensor:
        return _bce(real, real_target) + _bce(fake, 0.0)

    def g_loss(self, fake: Tensor, real: Tensor | None = None) -> Tensor:
        return -F.softplus(fake).mean()  # log(1 - sigmoid(x)) = -softplus(x)


class NonSaturating(Minimax):
    """G maximises log D(G(z)) instead: strong gradients early on (the usual 'vanilla GAN')."""

    name = "non-saturating"

    def g_loss(self, fake: Tensor, real: Tensor | None = None) -> Tensor:
        return _bce(fake, 1.0)


class LeastSquares(Objective):
    """LSGAN (Mao et al. 2017) with the 0/1 coding: penalises samples far from the boundary."""

    name = "least-squares"

    def d_loss(self, real: Tensor, fake: Tensor, real_target: float = 1.0) -> Tensor:
        return 0.5 * ((real - real_target).pow(2).mean() + fake.pow(2).mean())

    def g_loss(self, fake: Tensor, real: Tensor | None = None) -> Tensor:
        return 0.5 * (fake - 1.0).pow(2).mean()


class Wasserstein(Objective):
    """WGAN (Arjovsky et al. 2017): needs a Lipschitz critic (clipping, GP or spectral norm)."""

    name = "wasserstein"

    def d_loss(self, real: Tensor, fake: Tensor, real_target: float = 1.0) -> Tensor:
        return fake.mean() - real.mean()

    def g_loss(self, fake: Tensor, real: Tensor | None = None) -> Tensor:
        return -fake.mean()


class Hinge(Objective):
    """Hinge loss (Lim & Ye 2017; SAGAN, BigGAN)."""

    name = "hinge"

    def d_loss(self, real: Tensor, fake: Tensor, real_target: float = 1.0) -> Tensor:
        return F.relu(1.0 - real).mean() + F.relu(1.0 + fake).mean()

    def g_loss(self, fake: Tensor, real: Tensor | None = None) -> Tensor:
        return -fake.mean()


class RelativisticAverage(Objective):
    """RaGAN (Jolicoeur-Martineau 2018): is real data more realistic than fake on average?"""

    name = "relativistic-average"

    def d_loss(self, real: Tensor, fake: Tensor, real_target: float = 1.0) -> Tensor:
        return _bce(real - fake.mean(), real_target) + _bce(fake - real.mean(), 0.0)

    def g_loss(self, fake: Tensor, real: Tensor | None = None) -> Tensor:
        if real is None:
            raise ValueError("the relativistic objective needs the critic's outputs on real data")
        return _bce(fake - real.detach().mean(), 1.0) + _bce(real.detach() - fake.mean(), 0.0)


BUILTIN: dict[str, Objective] = {
    obj.name: obj
    for obj in (Minimax(), NonSaturating(), LeastSquares(), Wasserstein(), Hinge(),
                RelativisticAverage())
}
OBJECTIVE_NAMES = tuple(BUILTIN)


def get_objective(name: str) -> Objective:
    """A built-in objective, or one a plugin registered through `gantool_register_losses`."""
    if name in BUILTIN:
        return BUILTIN[name]
    from gantool.plugins import get_plugins

    registry = get_plugins().losses
    if name in registry:
        obj = registry.get(name).load()
        return obj() if isinstance(obj, type) else obj
    from gantool.errors import GantoolError

    known = ", ".join([*BUILTIN, *registry.items])
    raise GantoolError(f"unknown objective {name!r}; known: {known}")


__all__ = [
    "Objective", "Minimax", "NonSaturating", "LeastSquares", "Wasserstein", "Hinge",
    "RelativisticAverage", "get_objective", "OBJECTIVE_NAMES",
]
