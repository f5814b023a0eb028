"""The numbers a generator is judged by: NLL-oracle, or BLEU against held-out text (corpus
BLEU of windows; for lines, Texygen's mean sentence BLEU) and self-BLEU for diversity, plus
the generator's own NLL on held-out sequences (which also penalises a generator that drops
modes, where NLL-oracle and BLEU reward it)."""

from __future__ import annotations

import torch

from gantool.train.devices import device_of, draw_device
from gantool_seqgan.bleu import bleu, self_bleu, sentence_bleu_mean
from gantool_seqgan.corpus import Corpus
from gantool_seqgan.models import Generator
from gantool_seqgan.oracle import nll_oracle

SELF_BLEU_SAMPLES = 500
"""Self-BLEU on this many samples at most, so the number is comparable across --num."""


def _strings(tokens: torch.Tensor, corpus: Corpus) -> list[list[str]]:
    """Token strings of each row (of a line corpus: up to the line's end)."""
    rows = tokens.tolist()
    if corpus.lines:
        rows = [corpus.vocab.line(row) for row in rows]
    return [[corpus.vocab.tokens[i] for i in row] for row in rows]


@torch.no_grad()
def score(generator: Generator, corpus: Corpus, length: int, num: int, seed: int,
          temperature: float = 1.0) -> dict[str, float]:
    """Metrics of `num` samples of `length` tokens drawn with a fixed seed, on the device the
    generator lives on (training may evaluate on a GPU); the samples come back to the CPU."""
    device = device_of(generator)
    rng = torch.Generator(device=draw_device(device)).manual_seed(seed)
    samples = torch.cat([generator.sample(min(500, num - i), length, temperature=temperature,
                                          generator=rng) for i in range(0, num, 500)]).cpu()
    metrics: dict[str, float] = {}
    if corpus.oracle is not None:
        metrics["nll_oracle"] = nll_oracle(corpus.oracle, samples)
    if corpus.reference is not None:
        metrics["nll_reference"] = float(generator.nll(corpus.reference.to(device)).cpu())
    if corpus.oracle is not None:
        return metrics
    texts = _strings(samples, corpus)
    if corpus.reference is not None:
        references = _strings(corpus.reference, corpus)
        values = (sentence_bleu_mean(texts, references) if corpus.lines
                  else bleu(texts, references))
        for n, value in enumerate(values, start=1):
            if n >= 2:
                metrics[f"bleu{n}"] = value
    for n, value in enumerate(self_bleu(texts[:SELF_BLEU_SAMPLES]), start=1):
        if n >= 2:
            metrics[f"self_bleu{n}"] = value
    return metrics
