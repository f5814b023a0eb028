"""`gantool export vawgan`: the conversion path, normalisation, encoder and decoder, as one
ONNX graph that converts frames as PyTorch's conversion does."""

import json

import numpy as np
import onnxruntime as ort

from gantool.testing import onnx_metadata
from gantool_vawgan.convert import reconstruct
from gantool_vawgan.inference import load


def test_the_converter_exports_and_converts_as_pytorch_does(run_cli, weights, tmp_path):
    out = tmp_path / "c.onnx"
    code, stdout, err = run_cli("export", "vawgan", "--weights", weights, "--output", out)
    assert code == 0, err
    assert stdout.startswith(f"wrote {out}  (converter: ")
    model = load(weights)
    order = model.config.order
    mcep = np.random.default_rng(0).normal(size=(33, order + 1)) * 0.3
    target = len(model.speakers) - 1
    want = reconstruct(model.networks, mcep, target)[:, 1:]
    session = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    (got,) = session.run(None, {"mcep": mcep[:, 1:].astype(np.float32),
                                "speaker": np.full(33, target, np.int64)})
    assert np.abs(got - want).max() < 1e-4 * max(1.0, np.abs(want).max())
    meta = onnx_metadata(out)
    assert json.loads(meta["speakers"]) == model.speakers
    assert np.allclose(json.loads(meta["log_f0"]), model.networks["stats"].log_f0.numpy())
