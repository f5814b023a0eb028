"""`gantool export`: the core traces what a task declares, checks it on ONNX Runtime against
PyTorch, writes it atomically where it was planned, and refuses bad input in one line."""

import re
from dataclasses import replace
from pathlib import Path

import pytest
import torch
from torch import nn

from gantool.errors import GantoolError
from gantool.export import OnnxGraph, onnx_function, plan_paths, uniform
from gantool.onnx_export import serialise, write_graphs
from gantool.registry import TaskSpec
from gantool.testing import damaged_weights, one_line_error, onnx_difference, onnx_metadata

SPATIAL = {name: {0: "batch", 2: "height", 3: "width"} for name in ("images", "out")}


def conv_graph(name: str = "net", seed: int = 0) -> OnnxGraph:
    torch.manual_seed(seed)
    net = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.Tanh()).eval()
    samples = [(uniform(1, 3, 8, 8),), (uniform(2, 3, 5, 11, seed=1),)]
    return OnnxGraph(name, net, samples, ["images"], ["out"], SPATIAL,
                     metadata={"classes": '["a", "b"]'})


@pytest.fixture
def weights(small_gaussians, tmp_path) -> Path:
    from gantool.demos.gaussians import build_game
    from gantool.train import train

    config = small_gaussians(steps=2, checkpoint_every=0)
    train(lambda: build_game(config), config, tmp_path / "run", task="gaussians", quiet=True)
    return tmp_path / "run" / "model.safetensors"


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_traced_graph_agrees_with_pytorch_at_other_sizes(tmp_path):
    graph = conv_graph()
    (exported,) = write_graphs([graph], [tmp_path / "net.onnx"], {"task": "demo"})
    assert exported.path == tmp_path / "net.onnx" and exported.samples == 2
    assert 0 <= exported.difference < 1e-5
    assert "max abs difference from PyTorch" in exported.line()
    assert onnx_difference(exported.path, graph.module, uniform(3, 3, 17, 6, seed=2)) < 1e-5
    assert onnx_metadata(exported.path) | {"gantool": "-"} == {
        "gantool": "-", "network": "net", "task": "demo", "classes": '["a", "b"]'}
    assert files(tmp_path) == ["net.onnx"]


def test_the_batch_axis_is_dynamic_by_default(tmp_path):
    net = nn.Linear(3, 2).eval()
    graph = OnnxGraph("lin", net, [(uniform(2, 3),), (uniform(9, 3, seed=1),)], ["x"], ["y"])
    (exported,) = write_graphs([graph], [tmp_path / "lin.onnx"], {})
    assert onnx_difference(exported.path, net, uniform(4, 3, seed=3)) < 1e-6


def test_a_ready_graph_is_checked_and_a_wrong_one_writes_nothing(tmp_path):
    graph = conv_graph()
    ready = serialise(graph, {})
    assert write_graphs([replace(graph, graph=ready)],
                        [tmp_path / "ok.onnx"], {})[0].difference < 1e-5
    other = conv_graph(seed=1)
    wrong = replace(other, graph=ready)
    with pytest.raises(GantoolError, match="differs from PyTorch .* nothing was written"):
        write_graphs([conv_graph("first"), wrong], [tmp_path / "a.onnx", tmp_path / "b.onnx"],
                     {})
    assert files(tmp_path) == ["ok.onnx"]


def test_an_interrupted_write_leaves_no_file(tmp_path, monkeypatch):
    calls = []
    real = Path.write_bytes

    def interrupted(self, data):
        calls.append(self)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_graphs([conv_graph("a"), conv_graph("b")],
                     [tmp_path / "m.a.onnx", tmp_path / "m.b.onnx"], {})
    assert files(tmp_path) == []


def test_outputs_are_named_beside_the_weights_or_where_output_says(tmp_path):
    weights = tmp_path / "model.safetensors"
    weights.write_bytes(b"")
    assert plan_paths(weights, ["G"], None, False) == [tmp_path / "model.onnx"]
    assert plan_paths(weights, ["G_AB", "G_BA"], None, False) == [
        tmp_path / "model.G_AB.onnx", tmp_path / "model.G_BA.onnx"]
    assert plan_paths(weights, ["G"], tmp_path / "g.onnx", False) == [tmp_path / "g.onnx"]
    assert plan_paths(weights, ["G"], tmp_path, False) == [tmp_path / "model.onnx"]
    assert plan_paths(weights, ["A", "B"], tmp_path / "new", False) == [
        tmp_path / "new" / "model.A.onnx", tmp_path / "new" / "model.B.onnx"]
    for output, message in ((tmp_path / "two.onnx", "looks like a file name"),
                            (weights, "is a file"),
                            (tmp_path / "no" / "such", "does not exist")):
        with pytest.raises(GantoolError, match=message):
            plan_paths(weights, ["A", "B"], output, False)
    with pytest.raises(GantoolError, match="is the file being read"):
        plan_paths(weights, ["G"], weights, True)


def test_a_task_without_onnx_and_a_bad_onnx_path_are_refused():
    spec = TaskSpec(name="plain", summary="s", train=("a.b:c", "a.b:D"), plugin="p")
    with pytest.raises(GantoolError, match="declares no ONNX export"):
        onnx_function(spec)
    with pytest.raises(ValueError, match="onnx must be 'module:function'"):
        TaskSpec(name="bad", summary="s", train=("a.b:c", "a.b:D"), onnx="nope").validate()


def test_export_writes_the_model_beside_its_weights_and_reports_it(run_cli, weights):
    code, out, err = run_cli("export", "gaussians", "--weights", weights)
    assert code == 0, err
    target = weights.with_suffix(".onnx")
    assert re.fullmatch(rf"wrote {re.escape(str(target))}  \(G: max abs difference from "
                        r"PyTorch \S+ over 2 sample inputs\)\n", out)
    assert onnx_metadata(target)["task"] == "gaussians"
    one_line_error(run_cli("export", "gaussians", "--weights", weights), "already exists")
    code, _, err = run_cli("export", "gaussians", "--weights", weights, "--overwrite")
    assert code == 0, err


@pytest.mark.parametrize("args, message", [
    (["--format", "tflite"], "unknown --format 'tflite'; known: onnx"),
    (["--output", "{weights}"], "is the file being read"),
    (["--output", "{missing}/g.onnx"], "does not exist"),
])
def test_bad_options_are_one_line(run_cli, weights, args, message):
    args = [a.format(weights=weights, missing=weights.parent / "nope") for a in args]
    one_line_error(run_cli("export", "gaussians", "--weights", weights, *args), message)
    assert not weights.with_suffix(".onnx").exists()


def test_bad_weights_are_one_line(run_cli, weights, tmp_path):
    cut = tmp_path / "cut.safetensors"
    cut.write_bytes(weights.read_bytes()[:100])
    dropped = damaged_weights(weights, tmp_path / "dropped.safetensors", drop_tensor="networks/G")
    for path, message in ((tmp_path / "none.safetensors", "not found"),
                          (cut, "not a readable safetensors"),
                          (dropped, "does not hold gaussians's network 'G'")):
        one_line_error(run_cli("export", "gaussians", "--weights", path), message)
    one_line_error(run_cli("export", "digits", "--weights", weights),
                   "holds weights for task 'gaussians', not 'digits'")
    one_line_error(run_cli("export", "nosuch", "--weights", weights), "unknown task 'nosuch'")
    assert not list(tmp_path.glob("*.onnx"))
