"""int8 inference: ONNX Runtime's quantized graph of the generator, from activation ranges
measured once on training crops and kept beside the weights."""

import numpy as np
import onnx
import pytest
from PIL import Image
from superres_fixtures import TINY, photo, write_weights

from gantool.errors import GantoolError
from gantool_superres import engines, inference, int8
from gantool_superres.config import SuperResRun
from gantool_superres.engines import SMALL_JOB_PIXELS, load_forward
from gantool_superres.int8 import KEEP_FP32, calibrate, training_crops
from gantool_superres.onnx_engine import digest, graph_path
from gantool_superres.weights import calibration_file


@pytest.fixture
def photos(tmp_path):
    folder = tmp_path / "train"
    folder.mkdir()
    for seed in range(3):
        Image.fromarray(photo(272, 256, seed=seed)).save(folder / f"{seed}.png")
    return folder


@pytest.fixture
def calibrated(tmp_path, photos):
    weights = write_weights(tmp_path / "w.safetensors", seed=1)
    calibrate(weights, TINY, training_crops(photos, 4, count=4, size=16))
    return weights


def lr_input(seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).random((1, 3, 20, 24), dtype=np.float32)


def int8_graph(weights) -> onnx.ModelProto:
    return onnx.load(graph_path(weights, f"-int8-{digest(calibration_file(weights))[:16]}"))


def test_int8_stays_close_to_fp32_but_is_quantized(calibrated, photos):
    on_int8, pad = load_forward(calibrated, 4, "onnxruntime", "int8")
    on_fp32, fp32_pad = load_forward(calibrated, 4, "onnxruntime", "fp32")
    assert pad == fp32_pad
    (x,) = training_crops(photos, 4, count=1, size=20, seed=7)  # a crop it was not measured on
    error = on_int8(x) - on_fp32(x)
    assert np.abs(error).max() > 0
    assert 10 * np.log10(1 / np.mean(error ** 2)) > 35  # PSNR of int8 against fp32


def test_the_head_tail_and_bicubic_convolutions_stay_fp32(calibrated):
    load_forward(calibrated, 4, "onnxruntime", "int8")
    graph = int8_graph(calibrated)
    dequantized = {node.output[0]: node.input[0] for node in graph.graph.node
                   if node.op_type == "DequantizeLinear"}
    quantized, kept = 0, 0
    for conv in (node for node in graph.graph.node if node.op_type == "Conv"):
        weight = conv.input[1]
        if weight in dequantized:
            quantized += 1
            assert not dequantized[weight].startswith(KEEP_FP32)
        else:
            kept += 1
            assert weight.startswith(KEEP_FP32) and conv.input[0] not in dequantized
    assert kept == 3 and quantized == 5  # TINY: a block's two, the body's, two x2 upsamplers


def test_the_int8_graph_is_built_once(calibrated, monkeypatch):
    first = load_forward(calibrated, 4, "onnxruntime", "int8")[0](lr_input())

    def no_build(*args):
        raise AssertionError("quantized again")

    monkeypatch.setattr(int8, "_quantized", no_build)
    np.testing.assert_array_equal(load_forward(calibrated, 4, "onnxruntime", "int8")[0](
        lr_input()), first)


def test_auto_runs_int8_only_where_ranges_ship_and_bf16_is_not_native(calibrated, tmp_path,
                                                                      monkeypatch):
    monkeypatch.setattr(engines, "native_bf16", lambda: False)
    assert engines.chosen_precision(calibrated, "auto") == "int8"
    plain = write_weights(tmp_path / "plain.safetensors", seed=2)
    assert engines.chosen_precision(plain, "auto") == "fp32"
    assert engines.chosen_precision(calibrated, "auto", "torch") == "fp32"
    monkeypatch.setattr(engines, "native_bf16", lambda: True)
    assert engines.chosen_precision(calibrated, "auto") == "bf16"
    assert engines.chosen_precision(calibrated, "auto", "onnxruntime") == "int8"
    assert engines.chosen_precision(calibrated, "fp32") == "fp32"
    assert engines.chosen_precision(calibrated, "auto", small_job=True) == "int8"
    assert engines.chosen_precision(calibrated, "auto", "torch", small_job=True) == "bf16"
    assert engines.chosen_precision(plain, "auto", small_job=True) == "bf16"


def test_auto_on_native_bf16_runs_a_small_job_in_int8_until_it_grows(calibrated, monkeypatch):
    monkeypatch.setattr(engines, "native_bf16", lambda: True)
    loads = []
    monkeypatch.setattr(inference, "load_forward",
                        lambda weights, scale, engine, precision, threads:
                        loads.append(precision) or (lambda x: x, 4))
    upscalers = inference.load(calibrated, SuperResRun(input=calibrated, weights=calibrated))
    side = int(SMALL_JOB_PIXELS ** 0.5 * 0.6)  # each image a third of a small job
    precisions = []
    for _ in range(4):
        forward = upscalers(calibrated, Image.new("RGB", (side, side)))[0]
        precisions.append(next(p for (_, p), f in upscalers.loaded.items() if f[0] is forward))
    assert precisions == ["int8", "int8", "bf16", "bf16"]
    assert loads == ["int8", "bf16"]  # each loaded once


def test_int8_without_ranges_or_on_torch_says_what_to_do(weights, calibrated):
    with pytest.raises(GantoolError, match="int8-calibration") as caught:
        load_forward(weights, 4, "onnxruntime", "int8")
    assert "\n" not in str(caught.value)
    with pytest.raises(GantoolError, match="ONNX Runtime"):
        load_forward(calibrated, 4, "torch", "int8")


def test_a_damaged_or_stale_calibration_file_is_refused(calibrated, tmp_path):
    calibration = calibration_file(calibrated)
    ranges = calibration.read_text()
    calibration.write_text(ranges[:40])
    with pytest.raises(GantoolError, match="measure them again"):
        load_forward(calibrated, 4, "onnxruntime", "int8")
    calibration.write_text(ranges)
    write_weights(calibrated, seed=9)  # a later training replaced the weights
    with pytest.raises(GantoolError, match="not hold int8 ranges measured for"):
        load_forward(calibrated, 4, "onnxruntime", "int8")


def test_calibration_never_overwrites_and_leaves_nothing_when_it_fails(calibrated, photos,
                                                                        tmp_path, monkeypatch):
    before = calibration_file(calibrated).read_bytes()
    with pytest.raises(GantoolError, match="exists"):
        calibrate(calibrated, TINY, training_crops(photos, 4, count=2, size=16))
    assert calibration_file(calibrated).read_bytes() == before
    (tmp_path / "fresh").mkdir()
    fresh = write_weights(tmp_path / "fresh" / "w.safetensors", seed=4)

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(int8, "_quantized", interrupted)
    with pytest.raises(KeyboardInterrupt):
        calibrate(fresh, TINY, training_crops(photos, 4, count=2, size=16))
    assert [p.name for p in fresh.parent.iterdir()] == [fresh.name]


def test_calibration_photos_are_checked(tmp_path, photos):
    (tmp_path / "empty").mkdir()
    with pytest.raises(GantoolError, match="no images"):
        training_crops(tmp_path / "empty", 4)
    with pytest.raises(GantoolError, match="smaller than"):
        training_crops(photos, 4, size=80)


def test_eval_measures_the_ranges_and_scores_int8_beside_fp32(gantool, tmp_path, photos):
    weights = write_weights(tmp_path / "mine.safetensors", seed=3)
    code, out, err = gantool("eval", "superres", "--data", photos, "--psnr-weights", weights,
                             "--gan-weights", weights, "--int8-calibration", photos,
                             "--precision", "fp32", "--limit", "1")
    assert code == 0, err
    assert calibration_file(weights).is_file()
    assert "int8" in out and "wrote the int8 activation ranges" in err
