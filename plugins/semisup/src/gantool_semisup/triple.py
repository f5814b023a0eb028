"""Triple-GAN (Li et al. 2017): generator G(z, y), classifier C(x) and discriminator D(x, y).

D tells real pairs from the classifier's pairs (x_u, y ~ C(x_u)) and the generator's pairs
(G(z, y), y). Real pairs are the labelled batch plus half of the unlabelled batch with the
classifier's hard pseudo-labels (as in the authors' code): with a few labels alone D would
memorise them. The classifier's expectation over its labels on the other half is summed
exactly over the K classes (D scores each x_u with every class, weighted by p_C(y | x_u)), so
C's adversarial gradient has no sampling variance. C also minimises cross-entropy on the labels,
the entropy of its predictions on unlabelled images (as the authors' code does) and, once the
generator is reasonable (after `pseudo_start` of training), on generated pairs:
the pseudo-discriminative loss R_P. Players use the non-saturating form of their losses.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor
from torch.utils.data import TensorDataset

from gantool.train import Game, Player, Stage, StepContext
from gantool_semisup.config import TripleGanConfig
from gantool_semisup.evaluation import CONFUSION
from gantool_semisup.grids import class_grid
from gantool_semisup.labels import RECORD, write_labelled
from gantool_semisup.models import PairDiscriminator, one_hot, triple_gan_networks
from gantool_semisup.setup import labelled_batch, metadata_of, monitor, prepare


def every_class_logits(D: PairDiscriminator, images: Tensor, classes: int) -> Tensor:
    """N x K: D's logit for each image paired with each class."""
    n = len(images)
    repeated = images.repeat_interleave(classes, 0)
    labels = torch.eye(classes, device=images.device).repeat(n, 1)
    return D(repeated, labels).view(n, classes)


def build_game(config: TripleGanConfig) -> Game:
    setup = prepare(config)
    stored = metadata_of(setup)
    nets = triple_gan_networks(config, stored)
    k = len(setup.classes)
    alpha = config.alpha

    def generated(ctx: StepContext) -> tuple[Tensor, Tensor]:
        def draw() -> tuple[Tensor, Tensor]:
            n = len(ctx.batch[0])
            labels = ctx.randint(k, n)
            z = ctx.noise(n, config.z_dim, kind=config.z_noise)
            return ctx.networks["G"](z, one_hot(labels, k)), labels

        return ctx.once("fake", draw)

    def halves(ctx: StepContext) -> tuple[Tensor, Tensor]:
        """(unlabelled images D takes as real with pseudo-labels, those C pairs up)."""
        images = ctx.batch[0]
        return images[: len(images) // 2], images[len(images) // 2:]

    def classifier_probs(ctx: StepContext) -> Tensor:
        return ctx.once("probs", lambda: ctx.networks["C"](halves(ctx)[1]).softmax(1))

    def discriminator_loss(ctx: StepContext) -> Tensor:
        D, C = ctx.networks["D"], ctx.networks["C"]
        images, labels = labelled_batch(ctx, setup, config.labelled_batch)
        pseudo_real, paired = halves(ctx)
        with torch.no_grad():
            pseudo_labels = C(pseudo_real).argmax(1)
        real = F.softplus(-D(torch.cat([images, pseudo_real]),
                             one_hot(torch.cat([labels, pseudo_labels]), k))).mean()
        fake, fake_labels = generated(ctx)
        classified = classifier_probs(ctx).detach() * F.softplus(every_class_logits(D, paired, k))
        generated_pairs = F.softplus(D(fake.detach(), one_hot(fake_labels, k))).mean()
        return real + alpha * classified.sum(1).mean() + (1 - alpha) * generated_pairs

    def classifier_loss(ctx: StepContext) -> tuple[Tensor, dict]:
        C = ctx.networks["C"]
        images, labels = labelled_batch(ctx, setup, config.labelled_batch)
        supervised = F.cross_entropy(C(images), labels)
        adversarial = (classifier_probs(ctx) * F.softplus(
            -every_class_logits(ctx.networks["D"], halves(ctx)[1], k))).sum(1).mean()
        probs = classifier_probs(ctx)
        entropy = -(probs * probs.clamp_min(1e-8).log()).sum(1).mean()
        loss = supervised + alpha * adversarial + config.entropy_weight * entropy
        logs = {"supervised": supervised, "adversarial": adversarial, "entropy": entropy}
        if ctx.progress >= config.pseudo_start and config.pseudo_weight > 0:
            fake, fake_labels = generated(ctx)
            pseudo = F.cross_entropy(C(fake.detach()), fake_labels)
            loss = loss + config.pseudo_weight * pseudo
            logs["pseudo"] = pseudo
        return loss, logs

    def generator_loss(ctx: StepContext) -> Tensor:
        fake, labels = generated(ctx)
        return (1 - alpha) * F.softplus(-ctx.networks["D"](fake, one_hot(labels, k))).mean()

    betas = (config.beta1, 0.999)
    return Game(
        networks=nets,
        players=[Player("D", ["D"], discriminator_loss, lr=config.lr, betas=betas),
                 Player("C", ["C"], classifier_loss, lr=config.lr, betas=betas),
                 Player("G", ["G"], generator_loss, lr=config.lr, betas=betas)],
        stages=[Stage("triple", config.steps, ["D", "C", "G"])],
        data=TensorDataset(setup.pool.images),
        evaluate=lambda n: monitor(n["C"], setup),
        snapshot=lambda n, path: class_grid(n["G"], config.z_dim, path),
        on_start=lambda out_dir: write_labelled(out_dir, config, setup.train, setup.chosen),
        writes=[RECORD, CONFUSION],
        ema=["C", "G"],
        export=["C", "G"],
        metadata=stored,
    )
