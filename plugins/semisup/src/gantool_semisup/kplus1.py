"""The K+1 GAN (Salimans et al. 2016): a K-class classifier whose implicit K+1-th class is fake.

With logits l_1..l_K and the fake logit fixed at 0, p(real | x) = Z / (Z + 1), Z = sum exp(l_k),
so log p(real) = lse(l) - softplus(lse(l)) and log p(fake) = -softplus(lse(l)). The
classifier minimises cross-entropy on the labelled batch plus the real-vs-fake loss on
unlabelled and generated images; the generator matches the mean of the classifier's last
hidden layer on real data (feature matching, the paper's best semi-supervised setting).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor
from torch.utils.data import TensorDataset

from gantool.regularizers import feature_matching
from gantool.train import Game, Player, Stage, StepContext
from gantool_semisup.config import SslGanConfig
from gantool_semisup.evaluation import CONFUSION
from gantool_semisup.grids import unconditional_grid
from gantool_semisup.labels import RECORD, write_labelled
from gantool_semisup.models import ssl_gan_networks
from gantool_semisup.setup import labelled_batch, metadata_of, monitor, prepare


def unsupervised_loss(real_logits: Tensor, fake_logits: Tensor) -> Tensor:
    """-E log p(real | unlabelled) - E log p(fake | generated), halved as in the paper's code."""
    real, fake = torch.logsumexp(real_logits, 1), torch.logsumexp(fake_logits, 1)
    return 0.5 * (-real.mean() + F.softplus(real).mean() + F.softplus(fake).mean())


def build_game(config: SslGanConfig) -> Game:
    setup = prepare(config)
    stored = metadata_of(setup)
    nets = ssl_gan_networks(config, stored)

    def fake_images(ctx: StepContext) -> Tensor:
        G = ctx.networks["G"]
        return ctx.once("fake", lambda: G(ctx.noise(len(ctx.batch[0]), config.z_dim,
                                                    kind=config.z_noise)))

    def classifier_loss(ctx: StepContext) -> tuple[Tensor, dict]:
        D = ctx.networks["D"]
        images, labels = labelled_batch(ctx, setup, config.labelled_batch)
        logits = D(images)
        supervised = F.cross_entropy(logits, labels)
        logs = {"supervised": supervised,
                "labelled_accuracy": (logits.argmax(1) == labels).float().mean()}
        if config.supervised_only:
            return supervised, logs
        unsupervised = unsupervised_loss(D(ctx.batch[0]), D(fake_images(ctx).detach()))
        logs["unsupervised"] = unsupervised
        return supervised + config.unsupervised_weight * unsupervised, logs

    def generator_loss(ctx: StepContext) -> Tensor:
        D = ctx.networks["D"]
        return feature_matching(D.features(ctx.batch[0]), D.features(fake_images(ctx)))

    betas = (config.beta1, 0.999)
    players = [Player("D", ["D"], classifier_loss, lr=config.lr, betas=betas)]
    if not config.supervised_only:
        players.append(Player("G", ["G"], generator_loss, lr=config.lr, betas=betas))
    return Game(
        networks=nets,
        players=players,
        stages=[Stage("semi-supervised" if "G" in nets else "supervised", config.steps,
                      [p.name for p in players])],
        data=TensorDataset(setup.pool.images),
        evaluate=lambda n: monitor(n["D"], setup),
        snapshot=(lambda n, path: unconditional_grid(n["G"], config.z_dim, path))
        if "G" in nets else None,
        on_start=lambda out_dir: write_labelled(out_dir, config, setup.train, setup.chosen),
        writes=[RECORD, CONFUSION],
        ema=list(nets),
        export=list(nets),
        metadata=stored,
    )
