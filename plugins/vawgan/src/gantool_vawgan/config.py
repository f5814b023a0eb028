"""Options of the `vawgan` task (no torch import: `--help` is built from these)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from gantool.config import RunOptions, TrainerConfig, config, option
from gantool.errors import GantoolError

Mode = Literal["vawgan", "vae"]
F0Method = Literal["harvest", "dio"]


@config(batch_size=256, checkpoint_every=1000, log_every=100, threads=1,
        gpu={"batch_size": 1024})
class VawganConfig(TrainerConfig):
    data: Path = option(help="speech corpus: DIR/<speaker>/*.wav; DIR/split.json names the "
                             "held-out sentences, which training skips")
    mode: Mode = option("vawgan", "vawgan (VAE pretraining, then the Wasserstein critic); vae "
                                  "(the VAE alone, the baseline)")
    vae_steps: int = option(2000, "VAE pretraining steps", resumable=True, min=1)
    gan_steps: int = option(2000, "VAW-GAN steps (critic updates; the VAE updates every "
                                  "--n-critic of them); ignored by --mode vae", resumable=True,
                            min=0)
    lr: float = option(5e-4, "Adam learning rate of the encoder and decoder", above=0)
    critic_lr: float = option(2e-4, "Adam learning rate of the critic", above=0)
    n_critic: int = option(5, "critic updates per encoder/decoder update in the VAW-GAN stage",
                           min=1)
    gan_weight: float = option(1.0, "weight alpha of the adversarial term in the decoder's loss",
                               min=0)
    gp_weight: float = option(10.0, "gradient-penalty weight of the critic (WGAN-GP)", min=0)
    kl_weight: float = option(1.0, "weight of the KL term of the VAE", min=0)
    speaker_confusion: float = option(
        0.0, "weight of a speaker-confusion term on z: a probe learns to tell the speaker from "
             "z and the encoder is trained to leave it guessing (Chou et al. 2018), so less "
             "of the source voice reaches the decoder; 0 = off", min=0)
    adversarial_encoder: bool = option(
        False, "let the critic's verdict on converted frames train the encoder too, not only "
               "the decoder (Hsu et al. detach z): the encoder is pushed to leave out of z what "
               "gives the source speaker away")
    cycle_weight: float = option(
        0.0, "weight of a cycle term on conversions in the VAW-GAN stage: a converted frame, "
             "encoded again and decoded as its source speaker, must give the source frame back "
             "(as in CycleGAN-VC), so the critic cannot buy realism with the frame's content; "
             "0 = off", min=0)
    latent: int = option(16, "size of the speaker-independent code z", min=1, architecture=True)
    hidden: int = option(256, "hidden units of the encoder, decoder and critic", min=1,
                         architecture=True)
    speaker_dim: int = option(16, "size of the learned speaker embedding", min=1, architecture=True)
    order: int = option(24, "mel-cepstral order: coefficients 1..order are converted, c0 "
                            "(frame energy) is kept", min=1, architecture=True)
    sample_rate: int = option(16000, "model sample rate (inputs are resampled to it; speech "
                                     "needs at least 8000)", min=8000, architecture=True)
    frame_period: float = option(5.0, "WORLD frame period in milliseconds", above=0,
                                 architecture=True)
    f0_method: F0Method = option("harvest", "WORLD F0 estimator: harvest (robust) or dio "
                                            "(faster)")


@dataclass(kw_only=True)
class VawganEval:
    weights: Path = option(help="model.safetensors written by `gantool train vawgan`")
    baseline: Path | None = option(None, "a VAE-only model.safetensors (`--mode vae`) scored "
                                         "alongside")
    data: Path | None = option(None, "corpus with split.json (default: the one the model was "
                                     "trained on)")
    plot: Path | None = option(None, "spectrogram PNG (default: spectrograms.png beside "
                                     "--weights)")
    listen: Path | None = option(None, "folder to write the plotted sentence's WAVs to, so "
                                       "it can be heard: source.wav, converted.wav (and "
                                       "baseline.wav with --baseline), target.wav")
    overwrite: bool = option(False, "replace --plot and --listen files that already exist "
                                    "(never the weights)")
    other_speakers: Path | None = option(None, "folder DIR/<speaker>/*.wav of more speakers "
                                               "the speaker classifier also learns, so that "
                                               "passing it is harder (for example CMU ARCTIC)")
    classifier_steps: int = option(600, "training steps of the speaker classifier", min=1)
    seed: int = option(0, "seed of the speaker classifier", min=0)


@dataclass(kw_only=True)
class VawganRun(RunOptions):
    input: str = option(help="WAV file, folder of WAV files or glob to convert (any sample "
                             "rate; stereo is mixed down)")
    target_speaker: str = option(help="speaker to convert to (one the model was trained on)")
    weights: Path | None = option(None, "model.safetensors written by `gantool train vawgan` "
                                        "(default: the shipped VCC2016 model of SF1, SM1, TF1, "
                                        "TM1)")
    output: Path | None = option(None, "output WAV, or folder (default: <input>-to-<speaker>.wav "
                                       "beside one input; a folder to-<speaker>/ beside several)")

    def __post_init__(self) -> None:
        """A speaker is a corpus folder name, and part of the output's: a path separator can
        only be a typo (and must not send the output elsewhere)."""
        speaker = self.target_speaker
        if not speaker or "/" in speaker or "\\" in speaker or speaker in (".", ".."):
            raise GantoolError(f"--target-speaker {speaker!r} is not a speaker name; pass one "
                               "the model was trained on")
