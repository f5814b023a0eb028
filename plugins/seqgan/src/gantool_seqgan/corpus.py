"""The sequences a run trains on and is scored against, for text or for the oracle."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch.utils.data import Dataset

from gantool.errors import GantoolError
from gantool_seqgan.config import SeqganConfig
from gantool_seqgan.models import Generator
from gantool_seqgan.oracle import build_oracle, oracle_data
from gantool_seqgan.text import line_sequences, load_splits, sequences, tokenize, windows
from gantool_seqgan.vocab import NEWLINE, Vocabulary

MAX_REFERENCES = 5000
"""BLEU references kept (windows of the reference split): enough for stable n-gram counts."""
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


def load_corpus(config: SeqganConfig) -> Corpus:
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
    if config.unit == "line":
        tokens.append(NEWLINE)  # every line ends with it, even a one-line text
    vocab = Vocabulary.build(tokens, config.level, config.lowercase, config.max_vocab)
    if config.unit == "line":
        train = line_sequences(splits.train, vocab, config.seq_len, config.max_sequences)
        reference = (line_sequences(splits.reference, vocab, config.seq_len, MAX_REFERENCES,
                                    "the reference text") if splits.reference.strip() else None)
        return Corpus(vocab, train, reference, lines=True)
    train = sequences(splits.train, vocab, config.seq_len, config.max_sequences)
    return Corpus(vocab, train, reference_windows(splits.reference, vocab, config.seq_len))


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
