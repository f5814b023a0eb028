"""`gantool run seqgan`: sample sequences from a trained generator into a text file."""

from __future__ import annotations

from pathlib import Path

import torch

from gantool.errors import GantoolError
from gantool.files import atomic_path, check_output_path
from gantool_seqgan.config import SeqganRun
from gantool_seqgan.vocab import Vocabulary, tokenize
from gantool_seqgan.weights import load_model


def encode_prefix(text: str, vocab: Vocabulary, length: int) -> torch.Tensor:
    """The prefix as token ids; every token must be one the model knows."""
    tokens = tokenize(text, vocab.level, vocab.lowercase)
    unknown = vocab.unknown(tokens)
    if unknown:
        raise GantoolError(f"--prefix token {unknown[0]!r} is not in the model's vocabulary "
                           f"({len(vocab)} {vocab.level} tokens); use tokens of its training "
                           "text")
    if len(tokens) > length:
        raise GantoolError(f"--prefix has {len(tokens)} tokens, more than the model's "
                           f"sequence length {length}; shorten it")
    return torch.tensor(vocab.encode(tokens), dtype=torch.long)


def run_samples(options: SeqganRun) -> list[Path]:
    if options.num < 1:
        raise GantoolError(f"--num must be at least 1, got {options.num}")
    if options.temperature <= 0:
        raise GantoolError(f"--temperature must be positive, got {options.temperature}")
    output = options.output or Path(options.weights).with_name("samples.txt")
    check_output_path(output)
    model = load_model(options.weights)
    length = model.config.seq_len
    prefix = encode_prefix(options.prefix, model.vocab, length)
    rng = torch.Generator().manual_seed(options.seed)
    samples = model.generator.sample(options.num, length, temperature=options.temperature,
                                     prefix=prefix, generator=rng)
    with atomic_path(output) as tmp:
        tmp.write_text("".join(model.vocab.decode(row) + "\n" for row in samples.tolist()),
                       encoding="utf-8")
    return [output]
