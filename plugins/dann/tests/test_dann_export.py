"""`gantool export dann`: feature extractor and label classifier as one ONNX classifier."""

import json

from gantool.export import uniform
from gantool.models import load_model
from gantool.testing import onnx_difference, onnx_metadata
from gantool_dann.models import classify


def test_the_classifier_exports_and_matches_pytorch(run_cli, trained, tmp_path):
    code, stdout, err = run_cli("export", "dann", "--weights", trained, "--output",
                                tmp_path / "c.onnx")
    assert code == 0, err
    assert stdout.startswith(f"wrote {tmp_path / 'c.onnx'}  (classifier: ")
    model = load_model(trained, "dann")
    size, channels = int(model.metadata["image_size"]), int(model.metadata["channels"])
    images = uniform(7, channels, size, size, seed=3)
    assert onnx_difference(tmp_path / "c.onnx", lambda x: classify(model.networks, x),
                           images) < 1e-4
    classes = json.loads(onnx_metadata(tmp_path / "c.onnx")["classes"])
    assert classes == json.loads(model.metadata["classes"])
