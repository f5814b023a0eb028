"""Options of the `seqgan` task (no torch import: `--help` is built from these)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from gantool.config import TrainerConfig, config, option

Mode = Literal["seqgan", "mle"]
Unit = Literal["window", "line"]
Level = Literal["char", "word"]


@config(threads=1, log_every=50, checkpoint_every=1000)
class SeqganConfig(TrainerConfig):
    data: Path | None = option(None, "UTF-8 text file or folder (a folder with train/ and "
                                     "reference/ uses those splits); or give --oracle")
    oracle: bool = option(False, "train on sequences of the paper's synthetic LSTM oracle")
    mode: Mode = option("seqgan", "seqgan (MLE, D pretraining, policy gradient) or mle "
                                  "(maximum likelihood only, the baseline)")
    level: Level = option("word", "text tokens: characters or words (punctuation separate)",
                          architecture=True)
    lowercase: bool = option(False, "lowercase text before tokenizing", architecture=True)
    max_vocab: int = option(5000, "keep the most frequent tokens; the rest become <unk>",
                            min=1, architecture=True)
    seq_len: int = option(20, "tokens per sequence", min=1, architecture=True)
    unit: Unit = option("window", "what a sequence is: window (consecutive windows of the "
                                  "token stream) or line (each line of the text, ended and "
                                  "padded by the line break: captions, sentences)",
                        architecture=True)
    max_sequences: int = option(10000, "use at most this many training sequences (0 = all)",
                                min=0)
    oracle_vocab: int = option(5000, "oracle vocabulary size (the paper: 5,000)", min=1,
                               architecture=True)
    oracle_sequences: int = option(10000, "oracle training sequences (the paper: 10,000)",
                                   min=1)
    oracle_seed: int = option(1234, "seed of the oracle's random weights (fixed across runs)",
                              min=0)
    embedding: int = option(32, "generator embedding size", min=1, architecture=True)
    hidden: int = option(32, "generator LSTM size", min=1, architecture=True)
    d_embedding: int = option(64, "discriminator embedding size", min=1, architecture=True)
    d_widths: list[int] = option([2, 3, 4, 5], "discriminator convolution widths",
                                 architecture=True)
    d_channels: int = option(32, "filters per convolution width", min=1, architecture=True)
    d_filters: list[int] = option([], "filters of each width in --d-widths, one count per "
                                      "width (the paper: 100,200,...); empty: --d-channels "
                                      "each", architecture=True)
    d_dropout: float = option(0.25, "discriminator dropout", min=0, max=1)
    pretrain_steps: int = option(2000, "MLE steps of G (mle mode: all of its training)",
                                 resumable=True, min=0)
    d_pretrain_steps: int = option(200, "D steps on real vs generated before the adversarial "
                                        "stage", resumable=True, min=0)
    adversarial_steps: int = option(50, "G turns of --g-steps policy-gradient updates (mle "
                                        "mode: as many extra MLE updates, for a comparison at "
                                        "equal G updates)",
                                    resumable=True, min=0)
    g_steps: int = option(1, "policy-gradient updates of G in a row each time G plays (the "
                             "paper's g-steps)", min=1)
    d_steps: int = option(5, "steps between G's turns; each gives D a fresh generated batch "
                             "(the paper's d-steps)", min=1)
    k_epochs: int = option(1, "D updates on each generated batch (the paper's k epochs; it uses "
                              "g 1, d 5, k 3)", min=1)
    rollouts: int = option(16, "Monte-Carlo rollouts per prefix for the rewards", min=1)
    rollout_rate: float = option(0.8, "rollout policy <- rate * rollout + (1 - rate) * G "
                                      "after each G update (below 1)", min=0)
    g_batch: int = option(64, "sequences sampled per policy-gradient update", min=1)
    lr: float = option(0.01, "generator learning rate (Adam)", above=0)
    d_lr: float = option(1e-4, "discriminator learning rate (Adam)", above=0)
    grad_clip: float = option(5.0, "generator gradient-norm clip", above=0)
    eval_samples: int = option(1000, "samples scored at each evaluation (self-BLEU compares "
                                     "at least 2)", min=2)


@dataclass(kw_only=True)
class SeqganEval:
    weights: Path = option(help="model.safetensors written by `gantool train seqgan`")
    data: Path | None = option(None, "text whose reference split the samples are scored "
                                     "against (default: the training run's data)")
    num: int = option(1000, "samples to score (self-BLEU compares at least 2)", min=2)
    temperature: float = option(1.0, "sampling temperature", above=0)
    seed: int = option(0, "seed of the samples", min=0)


@dataclass(kw_only=True)
class SeqganRun:
    weights: Path | None = option(None, "model.safetensors written by `gantool train seqgan` "
                                        "(default: the shipped COCO caption model)")
    num: int = option(10, "sequences to generate", min=1)
    temperature: float = option(1.0, "sampling temperature (< 1: safer, > 1: more varied)",
                                above=0)
    prefix: str = option("", "text every sequence starts with (tokens of the vocabulary)")
    output: Path | None = option(None, "text file, one sequence a line, or a folder to put "
                                       "samples.txt in (default: samples.txt beside --weights; "
                                       "the shipped model's samples are only shown)")
    overwrite: bool = option(False, "replace an output file that already exists (never the "
                                    "weights)")
    seed: int = option(0, "sampling seed", min=0)
