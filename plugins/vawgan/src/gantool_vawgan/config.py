"""Options of the `vawgan` task (no torch import: `--help` is built from these)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from gantool.config import RunOptions, TrainerConfig, option

Mode = Literal["vawgan", "vae"]
F0Method = Literal["harvest", "dio"]


@dataclass(kw_only=True)
class VawganConfig(TrainerConfig):
    data: Path = option(help="speech corpus: DIR/<speaker>/*.wav; DIR/split.json names the "
                             "held-out sentences, which training skips")
    mode: Mode = option("vawgan", "vawgan (VAE pretraining, then the Wasserstein critic); vae "
                                  "(the VAE alone, the baseline)")
    vae_steps: int = option(2000, "VAE pretraining steps", resumable=True)
    gan_steps: int = option(2000, "VAW-GAN steps (critic updates; the VAE updates every "
                                  "--n-critic of them); ignored by --mode vae", resumable=True)
    batch_size: int = option(256, "spectral frames per batch")
    lr: float = option(5e-4, "Adam learning rate of the encoder and decoder")
    critic_lr: float = option(2e-4, "Adam learning rate of the critic")
    n_critic: int = option(5, "critic updates per encoder/decoder update in the VAW-GAN stage")
    gan_weight: float = option(1.0, "weight alpha of the adversarial term in the decoder's loss")
    gp_weight: float = option(10.0, "gradient-penalty weight of the critic (WGAN-GP)")
    kl_weight: float = option(1.0, "weight of the KL term of the VAE")
    latent: int = option(16, "size of the speaker-independent code z")
    hidden: int = option(256, "hidden units of the encoder, decoder and critic")
    speaker_dim: int = option(16, "size of the learned speaker embedding")
    order: int = option(24, "mel-cepstral order: coefficients 1..order are converted, c0 "
                            "(frame energy) is kept")
    sample_rate: int = option(16000, "model sample rate (inputs are resampled to it)")
    frame_period: float = option(5.0, "WORLD frame period in milliseconds")
    f0_method: F0Method = option("harvest", "WORLD F0 estimator: harvest (robust) or dio "
                                            "(faster)")
    checkpoint_every: int = option(1000, "save a resumable checkpoint every N steps",
                                   resumable=True)
    log_every: int = option(100, "write a JSON-lines log record every N steps", resumable=True)
    threads: int = option(1, "torch CPU threads (small networks: more threads add overhead)",
                          resumable=True)


@dataclass(kw_only=True)
class VawganEval:
    weights: Path = option(help="model.safetensors written by `gantool train vawgan`")
    baseline: Path | None = option(None, "a VAE-only model.safetensors (`--mode vae`) scored "
                                         "alongside")
    data: Path | None = option(None, "corpus with split.json (default: the one the model was "
                                     "trained on)")
    plot: Path | None = option(None, "spectrogram PNG (default: spectrograms.png beside "
                                     "--weights)")
    classifier_steps: int = option(600, "training steps of the speaker classifier")
    seed: int = option(0, "seed of the speaker classifier")


@dataclass(kw_only=True)
class VawganRun(RunOptions):
    input: str = option(help="WAV file to convert (any sample rate; stereo is mixed down)")
    target_speaker: str = option(help="speaker to convert to (one the model was trained on)")
    weights: Path = option(help="model.safetensors written by `gantool train vawgan` (the task "
                                "ships no model)")
    output: Path | None = option(None, "output WAV (default: <input>-to-<speaker>.wav beside "
                                       "the input)")
