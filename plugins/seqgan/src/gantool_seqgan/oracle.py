"""The synthetic benchmark of SeqGAN (Yu et al. 2017, sec. 5): a random LSTM plays the real world.

Its parameters are drawn from N(0, 1) with a fixed seed, so every run and every evaluation
rebuilds the same oracle from (seed, vocabulary, sizes). Its samples are the training data; the
NLL-oracle of a generator is the oracle's mean negative log-likelihood per token of the
generator's samples: how plausible the generated sequences are under the true model.
"""

from __future__ import annotations

import torch

from gantool_seqgan.models import Generator


def build_oracle(vocab_size: int, seed: int, embedding: int = 32, hidden: int = 32) -> Generator:
    generator = torch.Generator().manual_seed(seed)
    oracle = Generator(vocab_size, embedding, hidden)
    with torch.no_grad():
        for parameter in oracle.parameters():
            parameter.copy_(torch.randn(parameter.shape, generator=generator))
    return oracle.eval().requires_grad_(False)


def oracle_data(oracle: Generator, count: int, length: int, seed: int) -> torch.Tensor:
    """`count` sequences drawn from the oracle with a seeded sampler (always the same)."""
    generator = torch.Generator().manual_seed(seed)
    chunks = [oracle.sample(min(1000, count - start), length, generator=generator)
              for start in range(0, count, 1000)]
    return torch.cat(chunks) if chunks else torch.empty(0, length, dtype=torch.long)


@torch.no_grad()
def nll_oracle(oracle: Generator, samples: torch.Tensor, batch: int = 500) -> float:
    """Mean per-token negative log-likelihood of `samples` under the oracle."""
    total = sum(float(oracle.nll(chunk)) * len(chunk) for chunk in samples.split(batch))
    return total / len(samples)
