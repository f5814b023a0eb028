"""Warm starts (`--init`): a training that begins from weights, their checks, and lineage."""

import json
import os
import signal

import pytest
import torch
from safetensors.torch import load_file

from gantool.checkpoint import load_weights
from gantool.demos.gaussians import build_game
from gantool.errors import GantoolError
from gantool.plugins import GantoolPluginManager
from gantool.testing import one_line_error
from gantool.train.trainer import Interrupted, Trainer, seed_everything
from gantool.train.warm_start import sha256_of, warmup_factor


def _fit(config, out, resume=False, events=None):
    seed_everything(config.seed)
    trainer = Trainer(build_game(config), config, out, task="gaussians", events=events,
                      quiet=True)
    return trainer.fit(resume=resume), trainer


def _lineage(run):
    return json.loads(load_weights(run / "model.safetensors", "gaussians")[1]["lineage"])


@pytest.fixture
def trained(tmp_path, small_gaussians):
    """A gaussians generator trained far enough to place most samples on the ring."""
    run = tmp_path / "trained"
    metrics, _ = _fit(small_gaussians(steps=300, hidden=32, std=0.4, seed=3), run)
    return run / "model.safetensors", metrics


def test_a_warm_start_begins_where_the_model_ended_and_a_fresh_start_does_not(
        tmp_path, small_gaussians, trained):
    weights, metrics = trained
    settings = {"steps": 1, "hidden": 32, "std": 0.4, "warmup_steps": 10_000}
    warm, _ = _fit(small_gaussians(init=str(weights), **settings), tmp_path / "warm")
    fresh, _ = _fit(small_gaussians(**settings), tmp_path / "fresh")
    assert metrics["high_quality_pct"] > 50
    assert abs(warm["high_quality_pct"] - metrics["high_quality_pct"]) < 10
    assert fresh["high_quality_pct"] < metrics["high_quality_pct"] - 30
    before, after = load_file(weights), load_file(tmp_path / "warm" / "model.safetensors")
    assert all(torch.allclose(before[k], after[k], atol=1e-3) for k in before)


def test_the_learning_rate_warms_up_linearly():
    assert [warmup_factor(step, 4) for step in range(5)] == [0.25, 0.5, 0.75, 1.0, 1.0]
    assert warmup_factor(0, 0) == 1.0


def test_lineage_chains_segments_and_survives_a_resume(tmp_path, small_gaussians, trained):
    weights, _ = trained
    assert _lineage(weights.parent) == [
        {"task": "gaussians", "steps": 300, "data": {}, "started_from": None}]
    config = small_gaussians(init=str(weights), hidden=32, std=0.4, steps=12)
    manager = GantoolPluginManager()

    class StopAt5:
        def gantool_step_end(self, run, step, logs):
            if step == 5:
                os.kill(os.getpid(), signal.SIGINT)

    manager.register(StopAt5(), name="stop")
    with pytest.raises(Interrupted):
        _fit(config, tmp_path / "second", events=manager)
    _fit(config, tmp_path / "second", resume=True)
    second = _lineage(tmp_path / "second")
    assert [s["steps"] for s in second] == [300, 12]
    assert second[1]["started_from"] == sha256_of(weights)
    _fit(small_gaussians(init=str(tmp_path / "second" / "model.safetensors"), hidden=32,
                         std=0.4, steps=3), tmp_path / "third")
    third = _lineage(tmp_path / "third")
    assert [s["steps"] for s in third] == [300, 12, 3]
    assert third[2]["started_from"] == sha256_of(tmp_path / "second" / "model.safetensors")


def test_another_architecture_is_one_line_naming_shapes_and_options(tmp_path, small_gaussians,
                                                                  trained):
    weights, _ = trained
    with pytest.raises(GantoolError) as error:
        _fit(small_gaussians(init=str(weights), hidden=16), tmp_path / "narrow")
    message = str(error.value)
    assert "32" in message and "16" in message and "hidden 32 vs 16" in message
    assert "\n" not in message and not (tmp_path / "narrow").exists()


@pytest.mark.parametrize("networks, fragment", [
    (("D",), "holds no network D (it holds G)"),
])
def test_networks_the_file_lacks_are_refused(tmp_path, small_gaussians, trained, networks,
                                             fragment):
    weights, _ = trained
    with pytest.raises(GantoolError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        _fit(small_gaussians(init=str(weights), hidden=32, init_networks=networks),
             tmp_path / "run")


def test_another_tasks_weights_are_refused(tmp_path, small_gaussians, trained):
    weights, _ = trained
    config = small_gaussians(init=str(weights), hidden=32)
    seed_everything(0)
    trainer = Trainer(build_game(config), config, tmp_path / "run", task="other", quiet=True)
    with pytest.raises(GantoolError, match="for task 'gaussians', not 'other'"):
        trainer.fit()


def test_the_cli_refuses_pickles_missing_files_and_tasks_without_a_shipped_model(
        run_cli, tmp_path):
    pickled = tmp_path / "model.safetensors"
    torch.save({"networks/G/0.weight": torch.ones(2)}, pickled)
    tiny = ["--steps", "1", "--quiet", "--device", "cpu"]
    one_line_error(run_cli("train", "gaussians", "--init", pickled, "--out", tmp_path / "a",
                           *tiny), "not a readable safetensors file")
    one_line_error(run_cli("train", "gaussians", "--init", tmp_path / "none.safetensors",
                           "--out", tmp_path / "b", *tiny), "not found")
    one_line_error(run_cli("train", "gaussians", "--init", "shipped", "--out", tmp_path / "c",
                           *tiny), "ships no model")
    assert not any((tmp_path / name).exists() for name in "abc")
