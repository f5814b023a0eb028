"""Options of the `seqgan` task (no torch import: `--help` is built from these)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from gantool.config import TrainerConfig, option

Mode = Literal["seqgan", "mle"]
Level = Literal["char", "word"]


@dataclass(kw_only=True)
class SeqganConfig(TrainerConfig):
    data: Path | None = option(None, "UTF-8 text file or folder (a folder with train/ and "
                                     "reference/ uses those splits); or give --oracle")
    oracle: bool = option(False, "train on sequences of the paper's synthetic LSTM oracle")
    mode: Mode = option("seqgan", "seqgan (MLE, D pretraining, policy gradient) or mle "
                                  "(maximum likelihood only, the baseline)")
    init: Path | None = option(None, "start G from this model.safetensors (an MLE "
                                     "pretraining run on the same data)")
    level: Level = option("word", "text tokens: characters or words (punctuation separate)")
    lowercase: bool = option(False, "lowercase text before tokenizing")
    max_vocab: int = option(5000, "keep the most frequent tokens; the rest become <unk>")
    seq_len: int = option(20, "tokens per sequence")
    max_sequences: int = option(10000, "use at most this many training sequences (0 = all)")
    oracle_vocab: int = option(5000, "oracle vocabulary size (the paper: 5,000)")
    oracle_sequences: int = option(10000, "oracle training sequences (the paper: 10,000)")
    oracle_seed: int = option(1234, "seed of the oracle's random weights (fixed across runs)")
    embedding: int = option(32, "generator embedding size")
    hidden: int = option(32, "generator LSTM size")
    d_embedding: int = option(64, "discriminator embedding size")
    d_widths: list[int] = option([2, 3, 4, 5], "discriminator convolution widths")
    d_channels: int = option(32, "filters per convolution width")
    d_dropout: float = option(0.25, "discriminator dropout")
    pretrain_steps: int = option(2000, "MLE steps of G (mle mode: all of its training)",
                                 resumable=True)
    d_pretrain_steps: int = option(200, "D steps on real vs generated before the adversarial "
                                        "stage", resumable=True)
    adversarial_steps: int = option(50, "G turns of --g-steps policy-gradient updates (mle "
                                        "mode: as many extra MLE updates, for a comparison at "
                                        "equal G updates)",
                                    resumable=True)
    g_steps: int = option(1, "policy-gradient updates of G in a row each time G plays (the "
                             "paper's g-steps)")
    d_steps: int = option(5, "steps between G's turns; each gives D a fresh generated batch "
                             "(the paper's d-steps)")
    k_epochs: int = option(1, "D updates on each generated batch (the paper's k epochs; it uses "
                              "g 1, d 5, k 3)")
    rollouts: int = option(16, "Monte-Carlo rollouts per prefix for the rewards")
    rollout_rate: float = option(0.8, "rollout policy <- rate * rollout + (1 - rate) * G "
                                      "after each G update")
    g_batch: int = option(64, "sequences sampled per policy-gradient update")
    lr: float = option(0.01, "generator learning rate (Adam)")
    d_lr: float = option(1e-4, "discriminator learning rate (Adam)")
    grad_clip: float = option(5.0, "generator gradient-norm clip")
    eval_samples: int = option(1000, "samples scored at each evaluation")
    batch_size: int = option(64, "real sequences per batch")
    threads: int = option(1, "torch CPU threads (small networks: more threads add overhead)")
    log_every: int = option(50, "write a JSON-lines log record every N steps")
    checkpoint_every: int = option(1000, "save a resumable checkpoint every N steps",
                                   resumable=True)


@dataclass(kw_only=True)
class SeqganEval:
    weights: Path = option(help="model.safetensors written by `gantool train seqgan`")
    data: Path | None = option(None, "text whose reference split the samples are scored "
                                     "against (default: the training run's data)")
    num: int = option(1000, "samples to score")
    temperature: float = option(1.0, "sampling temperature")
    seed: int = option(0, "seed of the samples")


@dataclass(kw_only=True)
class SeqganRun:
    weights: Path = option(help="model.safetensors written by `gantool train seqgan` (the task "
                                "ships no model)")
    num: int = option(10, "sequences to generate")
    temperature: float = option(1.0, "sampling temperature (< 1: safer, > 1: more varied)")
    prefix: str = option("", "text every sequence starts with (tokens of the vocabulary)")
    output: Path | None = option(None, "text file, one sequence a line (default: "
                                       "samples.txt beside --weights)")
    seed: int = option(0, "sampling seed")
