"""`gantool export seqgan`: one step of the generator's LSTM as an ONNX graph.

A sampling loop needs a random draw per token and a stopping rule, which a runtime's user
chooses (temperature, top-k, a length); one step with its state in and out is what every such
loop is built from, and the graph stays small and free of random operators: feed the start
token with zero state, draw a token from softmax(logits / temperature), feed it back.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from gantool.export import OnnxGraph, uniform
from gantool.models import LoadedModel
from gantool_seqgan.models import Generator


class GeneratorStep(nn.Module):
    """token (B,) and LSTM state (1, B, H) twice -> next-token logits (B, V) and the state."""

    def __init__(self, generator: Generator) -> None:
        super().__init__()
        self.generator = generator

    def forward(self, token: Tensor, h: Tensor, c: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        logits, (h, c) = self.generator._step(token, (h, c))
        return logits, h, c


def _sample(generator: Generator, batch: int, seed: int) -> tuple[Tensor, Tensor, Tensor]:
    hidden = generator.lstm.hidden_size
    tokens = torch.randint(generator.vocab_size + 1, (batch,),
                           generator=torch.Generator().manual_seed(seed))
    return (tokens, uniform(1, batch, hidden, low=-1.0, seed=seed),
            uniform(1, batch, hidden, low=-1.0, seed=seed + 1))


def onnx_graphs(model: LoadedModel) -> list[OnnxGraph]:
    """G's step: `token` (B,) int64, `h`, `c` (1, B, H) -> `logits` (B, V), `h_next`,
    `c_next`. Token V is the start token; the vocabulary (token i is entry i) is in the
    graph's metadata."""
    generator = model["G"]
    names = (["token", "h", "c"], ["logits", "h_next", "c_next"])
    axes = {"token": {0: "batch"}, "logits": {0: "batch"},
            **{name: {1: "batch"} for name in ("h", "c", "h_next", "c_next")}}
    return [OnnxGraph("G", GeneratorStep(generator),
                      [_sample(generator, 3, 0), _sample(generator, 6, 2)], *names, axes,
                      metadata={"vocab": model.metadata["vocab"],
                                "start_token": str(generator.vocab_size)})]
