"""The sequences a run trains on and is scored against, for text or for the oracle."""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass

import torch
from torch.utils.data import Dataset

from gantool.errors import GantoolError
from gantool_seqgan.config import SeqganConfig
from gantool_seqgan.models import Generator
from gantool_seqgan.oracle import build_oracle, oracle_data
from gantool_seqgan.text import (
    check_coverage,
    line_sequences,
    load_splits,
    sequences,
    tokenize,
    windows,
)
from gantool_seqgan.vocab import NEWLINE, Vocabulary

MAX_REFERENCES = 5000
"""BLEU references kept of a windowed reference split: enough for stable n-gram counts (a
line model keeps every reference line, as the caption benchmarks score against all)."""
ORACLE_HELD_OUT = 1000
"""Held-out oracle sequences on which the generator's own NLL is measured."""


@dataclass
class Corpus:
    vocab: Vocabulary
    train: torch.Tensor
    reference: torch.Tensor | None = None
    """Held-out sequences: the generator's NLL on them, and BLEU references for text."""
    oracle: Generator | None = None
    lines: bool = False
    """Each sequence is a line, ended at its first line break (`--unit line`)."""


class SequenceDataset(Dataset):
    """Rows of a (N, T) token tensor."""

    def __init__(self, tokens: torch.Tensor) -> None:
        self.tokens = tokens

    def __len__(self) -> int:
        return len(self.tokens)

    def __getitem__(self, index: int) -> torch.Tensor:
        return self.tokens[index]


def oracle_of(config: SeqganConfig) -> Generator:
    return build_oracle(config.oracle_vocab, config.oracle_seed, config.embedding, config.hidden)


def load_corpus(config: SeqganConfig, vocab: Vocabulary | None = None) -> Corpus:
    """The training and reference sequences; `vocab` (a warm start's) replaces the one the
    training split would give, so a fine-tuned model keeps its tokens."""
    if config.oracle == (config.data is not None):
        raise GantoolError("give exactly one of --data FILE|DIR (text) and --oracle "
                           "(the synthetic benchmark)")
    if config.seq_len < max(config.d_widths):
        raise GantoolError(f"--seq-len {config.seq_len} is shorter than the widest "
                           f"discriminator filter ({max(config.d_widths)}); lower --d-widths")
    if config.oracle:
        return oracle_corpus(config, config.oracle_sequences)
    splits = load_splits(config.data)
    tokens = tokenize(splits.train, config.level, config.lowercase)
    if vocab is not None:
        check_coverage(splits.train, vocab, config.data)
        report_unknown(vocab.unknown(tokens), len(tokens))
    else:
        if config.unit == "line":
            tokens.append(NEWLINE)  # every line ends with it, even a one-line text
        vocab = Vocabulary.build(tokens, config.level, config.lowercase, config.max_vocab)
    if config.unit == "line":
        train = line_sequences(splits.train, vocab, config.seq_len, config.max_sequences)
        reference = (line_sequences(splits.reference, vocab, config.seq_len,  # all, as Texygen
                                    what="the reference text") if splits.reference.strip()
                     else None)
        return Corpus(vocab, train, reference, lines=True)
    train = sequences(splits.train, vocab, config.seq_len, config.max_sequences)
    return Corpus(vocab, train, reference_windows(splits.reference, vocab, config.seq_len))


def report_unknown(unknown: list[str], total: int) -> None:
    """Say how much of the text the model's vocabulary cannot spell (check_coverage refuses
    text that is mostly unknown)."""
    if unknown:
        examples = ", ".join(repr(t) for t, _ in Counter(unknown).most_common(3))
        print(f"notice: {len(unknown)} of the {total} training tokens ({len(unknown) / total:.1%}"
              f") are not in the model's vocabulary (most often {examples}); they are read as "
              "<unk>, or left out where the vocabulary has none", file=sys.stderr)


def oracle_corpus(config: SeqganConfig, count: int) -> Corpus:
    """`count` training sequences and a disjoint held-out set, both sampled from the oracle."""
    oracle = oracle_of(config)
    train = oracle_data(oracle, count, config.seq_len, config.oracle_seed + 1)
    held_out = oracle_data(oracle, ORACLE_HELD_OUT, config.seq_len, config.oracle_seed + 2)
    return Corpus(Vocabulary.numbered(config.oracle_vocab), train, held_out, oracle)


def reference_windows(text: str, vocab: Vocabulary, length: int) -> torch.Tensor | None:
    ids = vocab.encode(tokenize(text, vocab.level, vocab.lowercase))
    reference = windows(ids, length, MAX_REFERENCES)
    return reference if len(reference) else None
