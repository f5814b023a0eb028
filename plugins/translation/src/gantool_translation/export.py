"""`gantool export pix2pix|cyclegan`: each direction's generator as an ONNX graph.

Images are in [-1, 1] both ways, of any size that divides by the generator's downsampling
(`multiple` in the graph's metadata; `gantool run` pads to it and crops back). pix2pix's
dropout is off in the graph, the usual eval mode, where `gantool run` keeps it on with a
fixed seed as the paper does.
"""

from __future__ import annotations

from torch import nn

from gantool.export import OnnxGraph, uniform
from gantool.models import LoadedModel
from gantool_translation.translators import cyclegan_model, pix2pix_model

AXES = {"images": {0: "batch", 2: "height", 3: "width"},
        "translated": {0: "batch", 2: "height", 3: "width"}}


def _graph(name: str, generator: nn.Module, channels: int, multiple: int,
           metadata: dict[str, str]) -> OnnxGraph:
    """Traced at one size (at least 16 px, so the bottleneck keeps more than one pixel for
    instance norm), checked at another batch size and another shape too."""
    side = multiple * -(-16 // multiple)
    samples = [(uniform(1, channels, side, side, low=-1.0),),
               (uniform(2, channels, side + multiple, side, low=-1.0, seed=1),)]
    return OnnxGraph(name, generator, samples, ["images"], ["translated"], AXES,
                     metadata={**metadata, "multiple": str(multiple)})


def pix2pix_graphs(model: LoadedModel) -> list[OnnxGraph]:
    """G: `images` (N, C_in, H, W) -> `translated` (N, C_out, H, W)."""
    loaded = pix2pix_model(model)
    ((direction, translator),) = loaded.directions.items()
    return [_graph("G", translator.generator, translator.channels_in, loaded.multiple,
                   {"direction": direction})]


def cyclegan_graphs(model: LoadedModel) -> list[OnnxGraph]:
    """G_AB (A -> B) and G_BA (B -> A), one graph each."""
    loaded = cyclegan_model(model)
    names = {"AtoB": "G_AB", "BtoA": "G_BA"}
    return [_graph(names[direction], t.generator, t.channels_in, loaded.multiple,
                   {"direction": direction})
            for direction, t in loaded.directions.items()]
