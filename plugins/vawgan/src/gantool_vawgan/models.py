"""Frame-wise networks of VAW-GAN: encoder, speaker-conditioned decoder, conditional critic."""

from __future__ import annotations

import json

import torch
from torch import Tensor, nn

from gantool_vawgan.config import VawganConfig

EXPORTED = ("encoder", "decoder", "stats")
"""The networks conversion uses, saved in model.safetensors (the critic and the speaker probe
only train)."""


def _mlp(inputs: int, hidden: int, outputs: int) -> nn.Sequential:
    return nn.Sequential(nn.Linear(inputs, hidden), nn.LeakyReLU(0.2),
                         nn.Linear(hidden, hidden), nn.LeakyReLU(0.2),
                         nn.Linear(hidden, outputs))


class Encoder(nn.Module):
    """q(z | x): the mean and log-variance of a speaker-independent code of one frame."""

    def __init__(self, dims: int, hidden: int, latent: int) -> None:
        super().__init__()
        self.net = _mlp(dims, hidden, 2 * latent)

    def forward(self, x: Tensor) -> tuple[Tensor, Tensor]:
        mean, log_var = self.net(x).chunk(2, dim=1)
        return mean, log_var.clamp(-10.0, 5.0)


class Decoder(nn.Module):
    """p(x | z, y): the frame of speaker y; the speaker embedding enters every layer, so the
    speaker cannot be ignored."""

    def __init__(self, dims: int, hidden: int, latent: int, speakers: int,
                 speaker_dim: int) -> None:
        super().__init__()
        self.speakers = nn.Embedding(speakers, speaker_dim)
        self.layers = nn.ModuleList([nn.Linear(latent + speaker_dim, hidden),
                                     nn.Linear(hidden + speaker_dim, hidden),
                                     nn.Linear(hidden + speaker_dim, dims)])
        self.act = nn.LeakyReLU(0.2)

    def forward(self, z: Tensor, speaker: Tensor) -> Tensor:
        y = self.speakers(speaker)
        h = z
        for index, layer in enumerate(self.layers):
            h = layer(torch.cat([h, y], dim=1))
            if index < len(self.layers) - 1:
                h = self.act(h)
        return h


class Critic(nn.Module):
    """A Wasserstein critic of frames given their speaker, with a projection term (Miyato and
    Koyama 2018): converted frames are compared with real frames of the same speaker."""

    def __init__(self, dims: int, hidden: int, speakers: int) -> None:
        super().__init__()
        self.body = nn.Sequential(nn.Linear(dims, hidden), nn.LeakyReLU(0.2),
                                  nn.Linear(hidden, hidden), nn.LeakyReLU(0.2))
        self.out = nn.Linear(hidden, 1)
        self.project = nn.Embedding(speakers, hidden)

    def forward(self, x: Tensor, speaker: Tensor) -> Tensor:
        h = self.body(x)
        return self.out(h).squeeze(1) + (self.project(speaker) * h).sum(1)


class SpeakerProbe(nn.Module):
    """Which speaker a code z came from: what `--speaker-confusion` trains the encoder to hide
    (only training uses it)."""

    def __init__(self, latent: int, hidden: int, speakers: int) -> None:
        super().__init__()
        self.net = _mlp(latent, hidden, speakers)

    def forward(self, z: Tensor) -> Tensor:
        return self.net(z)


class Statistics(nn.Module):
    """What conversion needs besides the networks, saved with them: the per-dimension mean and
    deviation of the mel-cepstra, and each speaker's log-F0 mean and deviation."""

    def __init__(self, dims: int, speakers: int) -> None:
        super().__init__()
        self.register_buffer("mcep_mean", torch.zeros(dims))
        self.register_buffer("mcep_std", torch.ones(dims))
        self.register_buffer("log_f0", torch.zeros(speakers, 2))

    def normalise(self, mcep: Tensor) -> Tensor:
        return (mcep - self.mcep_mean) / self.mcep_std

    def denormalise(self, x: Tensor) -> Tensor:
        return x * self.mcep_std + self.mcep_mean


def speakers_of(metadata: dict[str, str]) -> list[str]:
    """The speaker names stored with a model, in the order of its speaker indices."""
    speakers = json.loads(metadata["speakers"])
    if not isinstance(speakers, list) or not all(isinstance(s, str) for s in speakers):
        raise ValueError("its speakers are not a list of names")
    return speakers


def build_networks(config: VawganConfig, metadata: dict[str, str]) -> dict[str, nn.Module]:
    """The networks for the speakers in `metadata`: training passes the corpus's, loading
    the exported ones, so an exported model always fits what is built to load it."""
    dims, speakers = config.order, len(speakers_of(metadata))
    networks = {"encoder": Encoder(dims, config.hidden, config.latent),
                "decoder": Decoder(dims, config.hidden, config.latent, speakers,
                                   config.speaker_dim),
                "critic": Critic(dims, config.hidden, speakers),
                "stats": Statistics(dims, speakers)}
    if config.speaker_confusion > 0:
        networks["probe"] = SpeakerProbe(config.latent, config.hidden, speakers)
    return networks
