"""`gantool export superres`: the shipped model's graph is the ONNX engine's own, and it
computes what the PyTorch generator computes at any batch and image size."""

import onnx

from gantool.export import uniform
from gantool.testing import onnx_difference, onnx_metadata
from gantool_superres.onnx_engine import build_graph
from gantool_superres.weights import SHIPPED, load_generator


def test_the_shipped_model_exports_and_matches_pytorch(gantool, tmp_path):
    weights, out = SHIPPED["srresnet"], tmp_path / "sr.onnx"
    code, stdout, err = gantool("export", "superres", "--weights", weights, "--output", out)
    assert code == 0, err
    assert stdout.startswith(f"wrote {out}  (G: max abs difference from PyTorch")
    generator = load_generator(weights)
    assert onnx_difference(out, generator, uniform(3, 3, 10, 7, seed=5)) < 1e-4
    assert onnx_metadata(out)["scale"] == "4"
    engine = onnx.load_from_string(build_graph(weights, generator.arch))
    assert onnx.load(out).graph == engine.graph
