"""The shipped weights: within the size limit, loadable, and better than bicubic on the sample."""

from pathlib import Path

import numpy as np
import pytest
import torch

from gantool_superres.engines import load_forward
from gantool_superres.images import read_rgb
from gantool_superres.metrics import compare
from gantool_superres.resample import bicubic_upscale, downscale
from gantool_superres.torch_engine import make_forward
from gantool_superres.weights import SHIPPED, calibration_file, load_generator

SAMPLE = Path(__file__).resolve().parents[3] / "datasets" / "samples" / "photo.png"


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_model_beats_bicubic_on_the_sample_photo(name):
    assert SHIPPED[name].stat().st_size <= 10_000_000
    truth = read_rgb(SAMPLE).float()[None] / 255
    lr = downscale(truth, 4)
    output = make_forward(load_generator(SHIPPED[name], 4))(lr).float().clamp(0, 1)
    assert output.shape == truth.shape
    model = compare(output, truth, 4)
    bicubic = compare(bicubic_upscale(lr, 4, sharp=True), truth, 4)  # the stronger baseline
    assert model["psnr"] > bicubic["psnr"] + 0.3
    assert model["hf_ratio"] > 2 * bicubic["hf_ratio"]
    torch.testing.assert_close(output.mean(), truth.mean(), atol=0.02, rtol=0)


def test_default_engine_computes_what_torch_computes_for_the_shipped_model():
    lr = downscale(read_rgb(SAMPLE).float()[None] / 255, 4).numpy()
    on_onnx, _ = load_forward(SHIPPED["srresnet"], 4, "onnxruntime", "fp32")
    on_torch, _ = load_forward(SHIPPED["srresnet"], 4, "torch", "fp32")
    np.testing.assert_allclose(on_onnx(lr), on_torch(lr), atol=1e-4)


@pytest.mark.parametrize("name", [n for n, path in sorted(SHIPPED.items())
                                  if calibration_file(path).is_file()])
def test_a_shipped_int8_model_stays_within_a_tenth_of_a_db_of_fp32_on_the_sample(name):
    truth = read_rgb(SAMPLE).float()[None] / 255
    lr = downscale(truth, 4)
    psnr = {}
    for precision in ("fp32", "int8"):
        forward, _ = load_forward(SHIPPED[name], 4, "onnxruntime", precision)
        output = torch.from_numpy(forward(lr.numpy())).clamp(0, 1)
        psnr[precision] = compare((output * 255).round() / 255, truth, 4)["psnr"]
    assert psnr["fp32"] - 0.1 <= psnr["int8"] != psnr["fp32"]


def test_the_model_is_chosen_by_the_input_and_named(run_cli, tmp_path):
    """No --weights, no --model: a JPEG gets the real-input model, a PNG the clean one, and
    each choice is printed; --model overrides."""
    from PIL import Image

    small = Image.open(SAMPLE).convert("RGB").resize((48, 40))
    (tmp_path / "in").mkdir()
    small.save(tmp_path / "in" / "saved.jpg", quality=60)
    small.save(tmp_path / "in" / "fine.jpg", quality=95)
    small.save(tmp_path / "in" / "clean.png")
    code, _, err = run_cli("run", "superres", "--input", tmp_path / "in", "--output",
                           tmp_path / "out")
    assert code == 0, err
    assert "saved.jpg: model srresnet-real (a JPEG file of quality 60" in err
    assert "fine.jpg: model srresnet (a JPEG file of quality 95" in err
    assert "clean.png: model srresnet (a lossless PNG file" in err
    code, _, err = run_cli("run", "superres", "--input", tmp_path / "in" / "saved.jpg",
                           "--model", "srresnet", "--output", tmp_path / "named.png")
    assert code == 0 and "model srresnet-real" not in err, err
