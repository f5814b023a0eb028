"""The generator as an ONNX graph, written from its architecture and weights alone.

`models.SRResNet` defines the network for training; this writes the same computation, node for
node, with the `onnx` package's helpers, so running a model needs neither torch nor its
(deprecated) TorchScript exporter. The weights become initializers, the constants ONNX
Runtime prepacks and runs in its blocked (NCHWc) convolution kernels. The tests check that both
compute the same upscale for every architecture option.
"""

from __future__ import annotations

import numpy as np
from onnx import NodeProto, TensorProto, helper, numpy_helper

from gantool_superres.architecture import Architecture
from gantool_superres.subpixel_bicubic import PAD, bicubic_kernels

OPSET = 17


class _Graph:
    """Nodes and initializers in the making, with fresh value names."""

    def __init__(self, state: dict[str, np.ndarray]) -> None:
        self.state = state
        self.nodes: list[NodeProto] = []
        self.initializers: dict[str, TensorProto] = {}
        self.used: set[str] = set()

    def constant(self, name: str, value: np.ndarray) -> str:
        self.initializers[name] = numpy_helper.from_array(value, name)
        return name

    def weight(self, key: str, shape: tuple[int, ...] | None = None) -> str:
        value = self.state[key].astype(np.float32)
        self.used.add(key)
        return self.constant(key, value.reshape(shape) if shape else value)

    def node(self, op: str, *inputs: str, **attributes: object) -> str:
        output = f"{op.lower()}_{len(self.nodes)}"
        self.nodes.append(helper.make_node(op, list(inputs), [output], name=output,
                                           **attributes))
        return output

    def conv(self, x: str, prefix: str) -> str:
        kernel = self.state[f"{prefix}.weight"].shape[-1]
        return self.node("Conv", x, self.weight(f"{prefix}.weight"),
                         self.weight(f"{prefix}.bias"), pads=[kernel // 2] * 4)

    def prelu(self, x: str, key: str) -> str:
        return self.node("PRelu", x, self.weight(key, (-1, 1, 1)))


def generator_graph(arch: Architecture, state: dict[str, np.ndarray]) -> bytes:
    """The serialised ONNX model of `SRResNet(arch)` with `state` (its state dict as arrays):
    input `lr` (N, 3, h, w) in [0, 1], output `sr` (N, 3, h * scale, w * scale).

    Raises KeyError when `state` lacks a tensor of `arch` and ValueError when it holds more or
    has another width, as a strict `load_state_dict` would.
    """
    if state["head.0.weight"].shape[0] != arch.channels:
        raise ValueError(f"{state['head.0.weight'].shape[0]} channels, not {arch.channels}")
    g = _Graph(state)
    features = g.prelu(g.conv(g.node("Sub", "lr", g.constant("half", np.float32(0.5))),
                              "head.0"), "head.1.weight")
    h = features
    for i in range(arch.blocks):
        inner = g.prelu(g.conv(h, f"body.{i}.body.0"), f"body.{i}.body.1.weight")
        h = g.node("Add", h, g.conv(inner, f"body.{i}.body.2"))
    h = g.node("Add", features, g.conv(h, f"body.{arch.blocks}"))
    if arch.upsampler == "single":
        out = g.node("DepthToSpace", g.conv(h, "tail"), blocksize=arch.scale, mode="CRD")
    else:
        for stage in range(arch.stages):
            shuffled = g.node("DepthToSpace", g.conv(h, f"upsample.{3 * stage}"), blocksize=2,
                              mode="CRD")
            h = g.prelu(shuffled, f"upsample.{3 * stage + 2}.weight")
        out = g.conv(h, "tail")
    if arch.residual:
        pads = g.constant("bicubic_pads", np.array([0, 0, PAD, PAD, 0, 0, PAD, PAD], np.int64))
        padded = g.node("Pad", "lr", pads, mode="edge")
        phases = g.node("Conv", padded, g.constant("bicubic", bicubic_kernels(arch.scale)),
                        group=3)
        out = g.node("Add", out, g.node("DepthToSpace", phases, blocksize=arch.scale,
                                        mode="CRD"))
    else:
        out = g.node("Add", out, "half")
    g.nodes[-1].output[0] = "sr"
    if unused := set(state) - g.used:
        raise ValueError(f"tensors the architecture does not use: {sorted(unused)[:3]}")
    graph = helper.make_graph(
        g.nodes, "srresnet",
        [helper.make_tensor_value_info("lr", TensorProto.FLOAT, ["n", 3, "h", "w"])],
        [helper.make_tensor_value_info("sr", TensorProto.FLOAT, ["n", 3, "H", "W"])],
        list(g.initializers.values()))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              ir_version=8, producer_name="gantool-superres")
    return model.SerializeToString()
