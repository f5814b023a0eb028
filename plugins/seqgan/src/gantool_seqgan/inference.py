"""`gantool run seqgan`: sequences sampled from a trained generator (by default the shipped
COCO caption model), shown as a table and written one a line to --output, or to `samples.txt`
beside the --weights given (`gantool.run`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch

from gantool.errors import GantoolError
from gantool.models import load_model
from gantool.report import Table
from gantool.run import TEXT, Output, Run
from gantool_seqgan.config import SeqganConfig, SeqganRun
from gantool_seqgan.models import Generator
from gantool_seqgan.plugin import TASK
from gantool_seqgan.vocab import Vocabulary, tokenize

SHIPPED = Path(__file__).parent / "weights" / "seqgan_coco.safetensors"


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


def sample(model: Model, _: None, options: SeqganRun) -> list[str]:
    """`--num` sequences, each starting with `--prefix`, decoded to text."""
    length = model.config.seq_len
    prefix = encode_prefix(options.prefix, model.vocab, length)
    rng = torch.Generator().manual_seed(options.seed)
    samples = model.generator.sample(options.num, length, temperature=options.temperature,
                                     prefix=prefix, generator=rng)
    rows = samples.tolist()
    if model.config.unit == "line":
        rows = [model.vocab.line(row) for row in rows]
    return [model.vocab.decode(row) for row in rows]


def shown(model: Model, done: list[tuple[None, list[str]]], options: SeqganRun) -> Table:
    ((_, texts),) = done
    source = options.weights or "the shipped COCO caption model"
    return Table(f"{len(texts)} samples of {source}", ["sample"],
                 [[text] for text in texts])


run_samples = Run(TASK, sample, inputs=None, outputs=(Output("samples", "samples.txt", TEXT),),
                  table=shown, load=lambda weights, options: load(weights))
