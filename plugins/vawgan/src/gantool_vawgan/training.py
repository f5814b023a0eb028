"""VAW-GAN as a gantool game: a VAE stage, then the VAE plus a Wasserstein critic.

Stage 1 trains encoder and decoder as a conditional VAE on single frames: the KL term squeezes
speaker traits out of z, which the decoder gets back from the speaker embedding. Stage 2 adds
the critic, which compares real frames of speaker y with frames of other speakers converted to
y (the roll of the batch pairs each frame with another speaker's frame); the decoder minimises
the VAE loss plus alpha times the critic's Wasserstein loss, so its output is pushed from the
over-smooth VAE mean towards real spectra. The critic updates every step, the VAE every
n_critic steps, with a gradient penalty keeping the critic 1-Lipschitz. Options add a
speaker-confusion term on z, the critic's verdict on the encoder, and a cycle term on
conversions.
"""

from __future__ import annotations

import json
import math

import numpy as np
import torch
from torch import Tensor, nn
from torch.nn import functional as F
from torch.utils.data import TensorDataset

from gantool.errors import GantoolError
from gantool.losses import get_objective
from gantool.regularizers import gradient_penalty
from gantool.train import Game, Player, Stage, StepContext
from gantool_vawgan.config import VawganConfig
from gantool_vawgan.convert import mel_cepstral_distortion, reconstruct
from gantool_vawgan.corpus import Analysis, Utterance, held_out, load_split, log_f0_stats
from gantool_vawgan.models import EXPORTED, build_networks

WASSERSTEIN = get_objective("wasserstein")


def analysis_of(config: VawganConfig) -> Analysis:
    return Analysis(config.sample_rate, config.frame_period, config.order, config.f0_method)


def vae_terms(ctx: StepContext, x: Tensor, speaker: Tensor) -> tuple[Tensor, Tensor]:
    """(Gaussian reconstruction term, KL to N(0, I)) per frame, with sampled z."""
    mean, log_var = ctx.networks["encoder"](x)
    z = mean + (0.5 * log_var).exp() * ctx.noise(len(x), mean.shape[1])
    recon = 0.5 * (ctx.networks["decoder"](z, speaker) - x).pow(2).sum(1).mean()
    kl = -0.5 * (1.0 + log_var - mean.pow(2) - log_var.exp()).sum(1).mean()
    return recon, kl


def confusion(ctx: StepContext) -> Tensor:
    """Cross-entropy of the probe's guess of the speaker from z against the uniform guess,
    minus its floor log K: 0 when z says nothing of the speaker. Bounded, unlike maximising
    the probe's own loss."""
    log_p = F.log_softmax(ctx.networks["probe"](ctx.networks["encoder"](ctx.batch[0])[0]), 1)
    return -log_p.mean(1).mean() - math.log(log_p.shape[1])


def probe_loss(ctx: StepContext) -> tuple[Tensor, dict[str, Tensor]]:
    """The probe learns the speaker of each frame from its (detached) code."""
    x, speaker = ctx.batch
    logits = ctx.networks["probe"](ctx.networks["encoder"](x)[0].detach())
    accuracy = (logits.argmax(1) == speaker).float().mean()
    return F.cross_entropy(logits, speaker), {"accuracy": accuracy}


def converted(ctx: StepContext, detach_z: bool = True) -> Tensor:
    """Each frame of the batch re-spoken by the speaker of the frame half a batch away, computed
    once per step. z is detached by default, so the critic's verdict trains the decoder only
    (Hsu et al.); with `detach_z` False it trains the encoder too."""

    def compute() -> Tensor:
        x, speaker = ctx.batch
        mean, log_var = ctx.networks["encoder"](x.roll(len(x) // 2, 0))
        z = mean + (0.5 * log_var).exp() * ctx.noise(len(x), mean.shape[1])
        return ctx.networks["decoder"](z.detach() if detach_z else z, speaker)

    return ctx.once("converted", compute)


def cycle(ctx: StepContext, detach_z: bool) -> Tensor:
    """The Gaussian reconstruction term of each source frame from its conversion, encoded again
    (the code's mean) and decoded with the source's own speaker: what the conversion kept of
    the content."""
    x, speaker = ctx.batch
    half = len(x) // 2
    code = ctx.networks["encoder"](converted(ctx, detach_z))[0]
    back = ctx.networks["decoder"](code, speaker.roll(half, 0))
    return 0.5 * (back - x.roll(half, 0)).pow(2).sum(1).mean()


def make_losses(config: VawganConfig):
    detach_z = not config.adversarial_encoder

    def hidden_speaker(ctx: StepContext) -> tuple[Tensor, dict[str, Tensor]]:
        """The weighted confusion term (nothing without a probe)."""
        if not config.speaker_confusion:
            return torch.zeros(()), {}
        term = confusion(ctx)
        return config.speaker_confusion * term, {"confusion": term}

    def vae_loss(ctx: StepContext) -> tuple[Tensor, dict[str, Tensor]]:
        recon, kl = vae_terms(ctx, *ctx.batch)
        hiding, logged = hidden_speaker(ctx)
        return recon + config.kl_weight * kl + hiding, {"recon": recon, "kl": kl, **logged}

    def critic_loss(ctx: StepContext) -> tuple[Tensor, dict[str, Tensor]]:
        x, speaker = ctx.batch
        critic = ctx.networks["critic"]
        fake = converted(ctx, detach_z).detach()
        distance = WASSERSTEIN.d_loss(critic(x, speaker), critic(fake, speaker))
        penalty = gradient_penalty(lambda v: critic(v, speaker), x, fake)
        return distance + config.gp_weight * penalty, {"w_distance": -distance, "gp": penalty}

    def vawgan_loss(ctx: StepContext) -> tuple[Tensor, dict[str, Tensor]]:
        x, speaker = ctx.batch
        recon, kl = vae_terms(ctx, x, speaker)
        adversarial = WASSERSTEIN.g_loss(ctx.networks["critic"](converted(ctx, detach_z),
                                                                speaker))
        hiding, logged = hidden_speaker(ctx)
        loss = recon + config.kl_weight * kl + config.gan_weight * adversarial + hiding
        if config.cycle_weight:
            logged["cycle"] = cycle(ctx, detach_z)
            loss = loss + config.cycle_weight * logged["cycle"]
        return loss, {"recon": recon, "kl": kl, "adversarial": adversarial, **logged}

    return vae_loss, critic_loss, vawgan_loss


def frames_of(utterances: list[Utterance], speakers: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Speech frames' mel-cepstra without c0 and their speaker indices."""
    frames = [u.features.mcep[u.speech, 1:] for u in utterances]
    labels = [np.full(len(f), speakers.index(u.speaker)) for f, u in zip(frames, utterances,
                                                                        strict=True)]
    return np.concatenate(frames), np.concatenate(labels)


def check_config(config: VawganConfig) -> None:
    """The one rule that depends on two options (the bounds of each are on the option)."""
    if config.mode == "vawgan" and config.gan_steps < 1:
        raise GantoolError("--gan-steps must be at least 1 with --mode vawgan (or use --mode vae)")


def held_out_scorer(config: VawganConfig, speakers: list[str]):
    """Mean mel-cepstral distortion of held-out speech re-synthesised through z and the
    speaker's own embedding (None without a split file)."""
    if not held_out(config.data):
        return None
    test = load_split(config.data, "test", analysis_of(config), speakers)

    def score(networks: dict[str, nn.Module]) -> dict[str, float]:
        distortion = [mel_cepstral_distortion(
            u.features.mcep[u.speech], reconstruct(networks, u.features.mcep,
                                                   speakers.index(u.speaker))[u.speech])
            for u in test]
        return {"reconstruction_mcd": float(np.mean(distortion))}

    return score


def build_game(config: VawganConfig) -> Game:
    check_config(config)
    train = load_split(config.data, "train", analysis_of(config))
    speakers = sorted({u.speaker for u in train})
    frames, labels = frames_of(train, speakers)
    metadata = {"speakers": json.dumps(speakers), "mode": config.mode}
    networks = build_networks(config, metadata)
    stats = networks["stats"]
    stats.mcep_mean.copy_(torch.from_numpy(frames.mean(0)))
    stats.mcep_std.copy_(torch.from_numpy(frames.std(0) + 1e-6))
    stats.log_f0.copy_(torch.from_numpy(log_f0_stats(train, speakers)))
    data = TensorDataset(stats.normalise(torch.from_numpy(frames).float()),
                         torch.from_numpy(labels).long())
    vae_loss, critic_loss, vawgan_loss = make_losses(config)
    models = ["encoder", "decoder"]
    probing = ["probe"] if config.speaker_confusion else []
    players = [Player("vae", models, vae_loss, lr=config.lr, betas=(0.9, 0.999))]
    if probing:
        players.append(Player("probe", ["probe"], probe_loss, lr=config.lr, betas=(0.9, 0.999)))
    stages = [Stage("vae", config.vae_steps, [*probing, "vae"])]
    if config.mode == "vawgan":
        players += [Player("critic", ["critic"], critic_loss, lr=config.critic_lr,
                           betas=(0.5, 0.9)),
                    Player("vawgan", models, vawgan_loss, lr=config.lr, betas=(0.5, 0.9),
                           every=config.n_critic)]
        stages.append(Stage("vawgan", config.gan_steps, [*probing, "critic", "vawgan"]))
    return Game(networks=networks, players=players, stages=stages, data=data,
                evaluate=held_out_scorer(config, speakers),
                export=EXPORTED,
                metadata=metadata)
