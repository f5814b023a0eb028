"""`gantool run seqgan`: sample sequences from a trained generator into a text file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch

from gantool.errors import GantoolError
from gantool.files import atomic_path
from gantool.models import load_model
from gantool.outputs import plan_outputs
from gantool.report import Table
from gantool_seqgan.config import SeqganConfig, SeqganRun
from gantool_seqgan.models import Generator
from gantool_seqgan.plugin import TASK
from gantool_seqgan.vocab import Vocabulary, tokenize

SAMPLES = "samples.txt"


@dataclass
class Model:
    """What sampling and scoring use of an exported model: G, the vocabulary that decodes its
    tokens, and the training config (sequence length, data, oracle)."""

    generator: Generator
    vocab: Vocabulary
    config: SeqganConfig


def load(path: Path) -> Model:
    """`load_model`, and the generator: a file without a list of networks (written before
    there was one) loads whichever it holds."""
    model = load_model(path, TASK)
    if "G" not in model.networks:
        raise GantoolError(f"{path} does not hold {TASK}'s network 'G'; re-export it with "
                           f"`gantool train {TASK}`")
    return Model(model["G"], Vocabulary.from_json(model.metadata["vocab"]), model.config)


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


def run_samples(options: SeqganRun) -> list[Path | Table]:
    """Plan the output before loading anything: the only file read is the weights, which the
    samples may never replace, and an existing file is kept unless --overwrite."""
    weights = Path(options.weights)
    (output,) = plan_outputs([weights], single=True, output=options.output, name=SAMPLES,
                             folder="", overwrite=options.overwrite, protected=[weights])
    model = load(weights)
    length = model.config.seq_len
    prefix = encode_prefix(options.prefix, model.vocab, length)
    rng = torch.Generator().manual_seed(options.seed)
    samples = model.generator.sample(options.num, length, temperature=options.temperature,
                                     prefix=prefix, generator=rng)
    texts = [model.vocab.decode(row) for row in samples.tolist()]
    with atomic_path(output) as tmp:
        tmp.write_text("".join(text + "\n" for text in texts), encoding="utf-8")
    return [output, Table(f"{len(texts)} samples of {weights}", ["sample"],
                          [[text] for text in texts])]
