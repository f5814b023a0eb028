"""`gantool export vawgan`: the conversion network, encoder to decoder, as one ONNX graph.

Conversion decodes each frame's mean code as the target speaker; the graph holds that path
with the mel-cepstral normalisation it is trained in, so it maps features to features. WORLD
analysis and synthesis and the F0 transform stay outside it: the speakers' log-F0 statistics
and the analysis settings are in the graph's metadata.
"""

from __future__ import annotations

import json

import torch
from torch import Tensor, nn

from gantool.export import OnnxGraph, normal
from gantool.models import LoadedModel
from gantool_vawgan.models import Decoder, Encoder, Statistics, speakers_of


class Converter(nn.Module):
    """Mel-cepstra c1..c_order of each frame and its target speaker -> converted mel-cepstra."""

    def __init__(self, encoder: Encoder, decoder: Decoder, stats: Statistics) -> None:
        super().__init__()
        self.encoder, self.decoder, self.stats = encoder, decoder, stats

    def forward(self, mcep: Tensor, speaker: Tensor) -> Tensor:
        code, _ = self.encoder(self.stats.normalise(mcep))
        return self.stats.denormalise(self.decoder(code, speaker))


def onnx_graphs(model: LoadedModel) -> list[OnnxGraph]:
    """converter: `mcep` (frames, order) float and `speaker` (frames,) int64 ->
    `converted` (frames, order)."""
    config = model.config
    speakers = speakers_of(model.metadata)
    converter = Converter(model["encoder"], model["decoder"], model["stats"])

    def sample(frames: int, seed: int) -> tuple[Tensor, Tensor]:
        ids = torch.randint(len(speakers), (frames,), generator=torch.Generator().manual_seed(seed))
        return converter.stats.denormalise(normal(frames, config.order, seed=seed)), ids

    metadata = {"speakers": json.dumps(speakers),
                "log_f0": json.dumps(model["stats"].log_f0.tolist()),
                "sample_rate": str(config.sample_rate), "frame_period": str(config.frame_period),
                "order": str(config.order)}
    return [OnnxGraph("converter", converter, [sample(7, 0), sample(20, 1)],
                      ["mcep", "speaker"], ["converted"],
                      {"mcep": {0: "frames"}, "speaker": {0: "frames"},
                       "converted": {0: "frames"}}, metadata=metadata)]
