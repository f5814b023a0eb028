"""The engines: ONNX Runtime, from a graph written once and cached, and torch compute the same
network."""

import os
import subprocess
import sys

import numpy as np
import pytest
from superres_fixtures import TINY, write_weights

from gantool.errors import GantoolError
from gantool_superres import engines, onnx_engine
from gantool_superres.architecture import Architecture
from gantool_superres.engines import load_forward
from gantool_superres.onnx_engine import graph_path

ARCHITECTURES = [TINY, Architecture(scale=2, blocks=1, channels=8, upsampler="progressive"),
                 Architecture(scale=4, blocks=2, channels=8, residual=False, upsampler="single")]


def on_onnx_runtime(weights):
    return load_forward(weights, 4, "onnxruntime", "fp32")[0]


def lr_input(height: int = 13, width: int = 11) -> np.ndarray:
    return np.random.default_rng(0).random((1, 3, height, width), dtype=np.float32)


@pytest.mark.parametrize("arch", ARCHITECTURES, ids=lambda a: f"x{a.scale}-{a.upsampler}")
def test_onnx_runtime_and_torch_compute_the_same_upscale(tmp_path, arch):
    weights = write_weights(tmp_path / "w.safetensors", arch)
    on_onnx, pad = load_forward(weights, arch.scale, "onnxruntime", "fp32")
    on_torch, torch_pad = load_forward(weights, arch.scale, "torch", "fp32")
    assert pad == torch_pad == arch.receptive_radius()
    for x in (lr_input(), lr_input(7, 16)):  # the graph takes any input size
        out = on_onnx(x)
        assert out.shape == (1, 3, x.shape[2] * arch.scale, x.shape[3] * arch.scale)
        np.testing.assert_allclose(out, on_torch(x), atol=1e-5)


def test_graph_is_written_once_per_weights_file(tmp_path, monkeypatch):
    weights = write_weights(tmp_path / "a.safetensors", seed=1)
    graph = graph_path(weights)
    assert not graph.exists()
    first = on_onnx_runtime(weights)(lr_input())
    assert graph.is_file()

    def no_build(*args):
        raise AssertionError("built again")

    monkeypatch.setattr(onnx_engine, "build_graph", no_build)
    np.testing.assert_array_equal(on_onnx_runtime(weights)(lr_input()), first)
    assert graph_path(write_weights(tmp_path / "b.safetensors", seed=2)) != graph


def test_damaged_cache_entry_is_written_again(tmp_path):
    weights = write_weights(tmp_path / "w.safetensors", seed=3)
    expected = on_onnx_runtime(weights)(lr_input())
    graph = graph_path(weights)
    graph.write_bytes(graph.read_bytes()[:300])
    np.testing.assert_allclose(on_onnx_runtime(weights)(lr_input()), expected, atol=1e-6)


def test_unwritable_cache_still_runs_and_says_how_to_fix_it(tmp_path, monkeypatch, capsys):
    weights = write_weights(tmp_path / "w.safetensors", seed=4)
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("")
    monkeypatch.setenv("GANTOOL_CACHE_DIR", str(blocker / "cache"))
    on_onnx, _ = load_forward(weights, 4, "onnxruntime")
    on_torch, _ = load_forward(weights, 4, "torch", "fp32")
    np.testing.assert_allclose(on_onnx(lr_input()), on_torch(lr_input()), atol=1e-5)
    assert "GANTOOL_CACHE_DIR" in capsys.readouterr().err
    assert not any(tmp_path.glob("**/*.onnx*"))


def test_bf16_runs_on_torch(weights, monkeypatch):
    def no_onnx(*args):
        raise AssertionError("ONNX Runtime was used")

    monkeypatch.setattr(onnx_engine, "onnx_forward", no_onnx)
    forward, _ = load_forward(weights, 4, "auto", "bf16")
    assert forward(lr_input()).shape == (1, 3, 52, 44)
    with pytest.raises(GantoolError, match="fp32"):
        load_forward(weights, 4, "onnxruntime", "bf16")


def test_asking_for_onnx_runtime_runs_fp32_even_on_native_bf16_cpus(weights, monkeypatch):
    monkeypatch.setattr(engines, "native_bf16", lambda: True)
    on_onnx, _ = load_forward(weights, 4, "onnxruntime", "auto")
    on_torch, _ = load_forward(weights, 4, "torch", "fp32")
    np.testing.assert_allclose(on_onnx(lr_input()), on_torch(lr_input()), atol=1e-5)


def test_wrong_weights_fail_before_any_engine_is_loaded(tmp_path):
    x2 = write_weights(tmp_path / "x2.safetensors", Architecture(scale=2, blocks=1, channels=8))
    with pytest.raises(GantoolError, match="x2, not x4"):
        load_forward(x2, 4)
    assert not graph_path(x2).exists()


@pytest.mark.parametrize("engine", ["onnxruntime", "torch"])
@pytest.mark.parametrize("claimed", [Architecture(scale=4, blocks=2, channels=8),
                                     Architecture(scale=4, blocks=0, channels=8),
                                     Architecture(scale=4, blocks=1, channels=16)],
                         ids=["more-blocks", "fewer-blocks", "wider"])
def test_tensors_that_do_not_fit_the_metadata_are_refused(tmp_path, engine, claimed):
    weights = write_weights(tmp_path / "w.safetensors", TINY, claimed=claimed)
    with pytest.raises(GantoolError, match="its metadata describes") as caught:
        load_forward(weights, 4, engine, "fp32")
    assert "\n" not in str(caught.value)
    assert not graph_path(weights).exists()


RUN_WITHOUT_TORCH = """
import sys
from gantool.cli import main
sys.argv = ["gantool", "run", "superres", "--input", sys.argv[1], "--weights", sys.argv[2],
            "--output", sys.argv[3], "--precision", "fp32"]
try:
    main()
except SystemExit as exit_info:
    assert not exit_info.code, exit_info.code
assert "torch" not in sys.modules, "torch was imported"
"""


@pytest.mark.parametrize("cached", [False, True])
def test_a_run_on_onnx_runtime_never_imports_torch(tmp_path, rgb_png, cached):
    weights = write_weights(tmp_path / "w.safetensors", seed=5)
    if cached:
        on_onnx_runtime(weights)
    output = tmp_path / "out.png"
    # through the CLI, with only this plugin loaded: another plugin cannot import torch into it
    only_superres = {**os.environ, "GANTOOL_LOAD_PLUGINS": "superres"}
    subprocess.run([sys.executable, "-c", RUN_WITHOUT_TORCH, str(rgb_png), str(weights),
                    str(output)], check=True, env=only_superres)
    assert output.is_file() and graph_path(weights).is_file()
