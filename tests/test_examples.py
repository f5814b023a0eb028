"""The examples work as documented: the third-party plugin, installed like any other package,
is found through the `gantool` entry-point group and trains; the downstream script trains a
game it declares itself and improves its score."""

import csv
import fnmatch
import json
import os
import re
import runpy
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]
PLUGIN = ROOT / "examples" / "dcgan-plugin"


@pytest.fixture(scope="module")
def plugin_dir(tmp_path_factory) -> Path:
    """examples/dcgan-plugin built and installed into a private folder (`--target`), offline:
    its build backend, hatchling, is the one the workspace's own packages build with, so uv
    already holds it in its cache."""
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is needed to build the example plugin")
    target = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [uv, "pip", "install", "--offline", "--no-deps", "--python", sys.executable,
         "--target", str(target), str(PLUGIN)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return target


def _gantool(site: Path, *args: object) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("GANTOOL_LOAD_PLUGINS", None)
    return subprocess.run([sys.executable, "-m", "gantool.cli", *map(str, args)], env=env,
                          capture_output=True, text=True, timeout=300)


def test_example_plugin_is_not_a_workspace_member():
    workspace = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["uv"]["workspace"]
    member = PLUGIN.relative_to(ROOT).as_posix()
    assert not any(fnmatch.fnmatch(member, pattern) for pattern in workspace["members"])


def test_installed_example_plugin_is_listed_with_its_hooks(plugin_dir):
    result = _gantool(plugin_dir, "plugins", "--json")
    assert result.returncode == 0, result.stderr
    row = {row["name"]: row for row in json.loads(result.stdout)}["example-dcgan"]
    assert row["distribution"] == "gantool-example-dcgan" and row["version"] == "0.1.0"
    assert row["tasks"] == ["example-dcgan"] and row["errors"] == []
    assert row["hooks"] == ["gantool_register_tasks", "gantool_step_end"]


def test_installed_example_plugin_trains_logs_its_steps_and_exports(plugin_dir, tmp_path):
    run = tmp_path / "run"
    result = _gantool(plugin_dir, "train", "example-dcgan", "--steps", 6, "--log-every", 2,
                      "--batch-size", 8, "--shapes", 64, "--threads", 1, "--device", "cpu",
                      "--quiet", "--out", run)
    assert result.returncode == 0, result.stderr
    assert "pixel_mmd" in result.stdout and (run / "model.safetensors").is_file()
    with open(run / "steps.csv", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["step", "D/loss", "G/loss"]
    assert [row[0] for row in rows[1:]] == ["2", "4", "6"]
    result = _gantool(plugin_dir, "export", "example-dcgan", "--weights",
                      run / "model.safetensors")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"wrote {run / 'model.onnx'}  (G: max abs difference")


def test_installed_example_plugin_runs_with_the_cores_promises(plugin_dir, tmp_path):
    """The example declares its run and writes no file handling of its own: the core names the
    output, writes it and keeps the weights and an existing file."""
    run = tmp_path / "run"
    result = _gantool(plugin_dir, "train", "example-dcgan", "--steps", 2, "--batch-size", 8,
                      "--shapes", 16, "--threads", 1, "--device", "cpu", "--quiet", "--out", run)
    assert result.returncode == 0, result.stderr
    weights = run / "model.safetensors"
    result = _gantool(plugin_dir, "run", "example-dcgan", "--weights", weights, "--num", 16)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"wrote {run / 'samples.png'}\n"
    from PIL import Image

    assert Image.open(run / "samples.png").size == (2 + 8 * 18, 2 + 2 * 18)
    for output, message in [(run / "samples.png", "already exists; pass --overwrite"),
                            (weights, "is the file being read")]:
        result = _gantool(plugin_dir, "run", "example-dcgan", "--weights", weights,
                          "--output", output)
        assert result.returncode == 2 and message in result.stderr
        assert "Traceback" not in result.stderr


def test_downstream_script_improves_its_score(monkeypatch, capsys):
    """Run in this process (torch is already imported here), as `python downstream.py`."""
    monkeypatch.setattr(sys, "argv", ["downstream.py", "--steps", "150"])
    threads = torch.get_num_threads()
    try:
        runpy.run_path(str(ROOT / "examples" / "downstream.py"), run_name="__main__")
    finally:
        torch.set_num_threads(threads)  # the script's trainer sets one thread
    out = capsys.readouterr().out
    match = re.search(r"FID untrained ([\d.]+) -> trained ([\d.]+)", out)
    assert match, out
    before, after = map(float, match.groups())
    assert after < before / 4
