"""`gantool export segan`: the shipped segmentor as an ONNX graph that takes scans of any size
(its padding to the U-Net's multiple is in the graph) and computes what PyTorch computes."""

import json

from gantool.export import uniform
from gantool.models import load_model
from gantool.testing import onnx_difference, onnx_metadata
from gantool_segan.inference import SHIPPED


def test_the_shipped_segmentor_exports_and_matches_pytorch(run_cli, tmp_path):
    out = tmp_path / "s.onnx"
    code, stdout, err = run_cli("export", "segan", "--weights", SHIPPED, "--output", out)
    assert code == 0, err
    assert stdout.startswith(f"wrote {out}  (S: ")
    segmentor = load_model(SHIPPED, "segan")["S"]
    for shape in ((3, 1, 64, 64), (1, 1, 50, 71)):
        assert onnx_difference(out, segmentor, uniform(*shape, seed=2)) < 1e-4
    assert onnx_metadata(out)["classes"] == "2"


def test_a_model_of_other_sizes_exports_too(run_cli, weights, tmp_path):
    """The session's 3-step model of the training path (another depth and width)."""
    out = tmp_path / "s.onnx"
    code, _, err = run_cli("export", "segan", "--weights", weights, "--output", out)
    assert code == 0, err
    segmentor = load_model(weights, "segan")["S"]
    assert onnx_difference(out, segmentor, uniform(2, 1, 21, 30, seed=1)) < 1e-4
    assert json.loads(onnx_metadata(out)["channels"]) == 1
