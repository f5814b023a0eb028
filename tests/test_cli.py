"""The command line: listings, training end to end, and one clear line for every bad input."""

import json
import subprocess
import sys

import pytest

SMALL = ["--steps", "6", "--batch-size", "16", "--hidden", "8", "--z-dim", "2", "--quiet",
         "--device", "cpu"]


def test_help_and_tasks_do_not_import_torch_or_onnx():
    code = (
        "import sys; from gantool import cli\n"
        "for argv in (['--help'], ['tasks'], ['train', '--help'], ['export', '--help']):\n"
        "    sys.argv = ['gantool', *argv]\n"
        "    try: cli.main()\n"
        "    except SystemExit: pass\n"
        "heavy = {'torch', 'onnx', 'onnxruntime'} & set(sys.modules)\n"
        "print('TORCH' if heavy else 'NO-TORCH')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip().endswith("NO-TORCH")


def test_tasks_and_plugins_list_the_builtin_demo(run_cli):
    code, out, _ = run_cli("tasks")
    assert code == 0 and "gaussians" in out
    code, out, _ = run_cli("plugins", "--json")
    rows = {row["name"]: row for row in json.loads(out)}
    assert "gaussians" in rows["gantool-core"]["tasks"]


def test_train_then_eval_end_to_end(run_cli, tmp_path):
    code, out, err = run_cli("train", "gaussians", *SMALL, "--out", tmp_path / "run")
    assert code == 0, err
    assert (tmp_path / "run" / "model.safetensors").is_file()
    code, out, err = run_cli("eval", "gaussians", "--weights", tmp_path / "run" /
                             "model.safetensors", "--json")
    assert code == 0, err
    table = json.loads(out)[0]
    assert table["columns"][0].startswith("modes covered")


def test_resume_reuses_the_saved_config(run_cli, tmp_path):
    out_dir = tmp_path / "run"
    assert run_cli("train", "gaussians", *SMALL, "--out", out_dir)[0] == 0
    code, _, err = run_cli("train", "gaussians", "--out", out_dir, "--resume", "--quiet")
    assert code == 0, err
    code, _, err = run_cli("train", "gaussians", "--out", out_dir, "--resume", "--lr-d", "0.3")
    assert code == 2 and "lr_d" in err and "Traceback" not in err


def test_config_file_and_set(run_cli, tmp_path):
    config = tmp_path / "g.toml"
    config.write_text('[train]\nsteps = 4\nhidden = 8\nz_dim = 2\nbatch_size = 16\n')
    code, _, err = run_cli("train", "gaussians", "--config", config, "--set", "lr-d=0.001",
                           "--quiet", "--out", tmp_path / "r")
    assert code == 0, err
    saved = json.loads((tmp_path / "r" / "config.json").read_text())
    assert saved["steps"] == 4 and saved["lr_d"] == 0.001


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["train", "nosuchtask"], "unknown task 'nosuchtask'"),
        (["train", "gaussians", "--set", "colour=red"], "unknown config key 'colour'"),
        (["train", "gaussians", "--steps", "many"], "--steps expects an integer"),
        (["train", "gaussians", "--config", "missing.toml"], "config file missing.toml not found"),
        (["run", "gaussians", "--input", "x"], "does not support `gantool run`"),
        (["eval", "gaussians", "--weights", "missing.safetensors"], "not found"),
    ],
)
def test_bad_input_is_one_line_and_nonzero(run_cli, args, message):
    code, out, err = run_cli(*args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_corrupt_and_foreign_weights_are_refused(run_cli, tmp_path):
    corrupt = tmp_path / "corrupt.safetensors"
    corrupt.write_bytes(b"\x00garbage")
    code, _, err = run_cli("eval", "gaussians", "--weights", corrupt)
    assert code == 2 and "not a readable safetensors file" in err
    import torch
    from safetensors.torch import save_file

    foreign = tmp_path / "foreign.safetensors"
    save_file({"w": torch.zeros(1)}, str(foreign),
              metadata={"format": "gantool-weights-1", "task": "superres"})
    code, _, err = run_cli("eval", "gaussians", "--weights", foreign)
    assert code == 2 and "weights for task 'superres', not 'gaussians'" in err


def test_atomic_outputs_get_the_usual_file_mode(tmp_path):
    import os

    from gantool.files import atomic_path

    target = tmp_path / "out.txt"
    with atomic_path(target) as tmp:
        tmp.write_text("x")
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_failed_data_build_leaves_no_folder_and_a_full_one_is_refused(tmp_path):
    from gantool.errors import GantoolError
    from gantool.files import atomic_dir

    out = tmp_path / "built"
    with pytest.raises(RuntimeError), atomic_dir(out) as tmp:
        (tmp / "part.png").write_bytes(b"x")
        raise RuntimeError("interrupted")
    assert list(tmp_path.iterdir()) == []
    with atomic_dir(out) as tmp:
        (tmp / "done.png").write_bytes(b"x")
    assert [p.name for p in out.iterdir()] == ["done.png"]
    with pytest.raises(GantoolError, match="not empty"), atomic_dir(out):
        pass


def test_input_files_expand_a_file_a_folder_or_a_glob_and_skip_outputs(tmp_path):
    from gantool.errors import GantoolError
    from gantool.files import input_files

    for name in ("a.png", "b.JPG", "a_x4.png", "notes.txt", "sub/c.png"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(b"x")

    def names(files):
        return [p.name for p in files]

    assert names(input_files(str(tmp_path / "a.png"))) == ["a.png"]
    assert names(input_files(str(tmp_path))) == ["a.png", "a_x4.png", "b.JPG"]
    assert names(input_files(str(tmp_path), recursive=True,
                             skip=lambda p: p.stem.endswith("_x4"))) == ["a.png", "b.JPG",
                                                                        "c.png"]
    assert names(input_files(str(tmp_path / "*.png"))) == ["a.png", "a_x4.png"]
    with pytest.raises(GantoolError, match="not found"):
        input_files(str(tmp_path / "missing.png"))
    with pytest.raises(GantoolError, match="matches no files"):
        input_files(str(tmp_path / "*.txt"))


def test_install_and_uninstall_use_gantools_own_interpreter(run_cli, monkeypatch):
    from gantool import cli

    calls = []
    monkeypatch.setattr(cli.subprocess, "call", lambda argv: calls.append(argv) or 0)
    assert run_cli("install", "gantool-example-dcgan")[0] == 0
    assert run_cli("uninstall", "gantool-example-dcgan")[0] == 0
    assert [argv[-1] for argv in calls] == ["gantool-example-dcgan"] * 2
    assert all(sys.executable in argv for argv in calls)
    assert "install" in calls[0] and "uninstall" in calls[1]


def test_install_takes_an_existing_wheel_or_project_folder_as_a_path(run_cli, monkeypatch,
                                                                      tmp_path):
    """Without uv, pip installs; a bare folder name must reach it as a path, not a name."""
    from pathlib import Path

    from gantool import cli
    from gantool.testing import one_line_error

    examples = Path(__file__).resolve().parents[1] / "examples"
    calls = []
    monkeypatch.setattr(cli.subprocess, "call", lambda argv: calls.append(argv) or 0)
    monkeypatch.setattr(cli.shutil, "which", lambda _name: None)
    wheel = tmp_path / "my_plugin-0.1.0-py3-none-any.whl"
    wheel.write_bytes(b"")
    monkeypatch.chdir(examples)
    assert run_cli("install", "dcgan-plugin")[0] == 0
    monkeypatch.chdir(tmp_path)
    assert run_cli("install", wheel.name)[0] == 0
    assert run_cli("install", "gantool-superres==0.1.0")[0] == 0
    pip = [sys.executable, "-m", "pip", "install"]
    assert calls == [[*pip, str(examples / "dcgan-plugin")], [*pip, str(wheel)],
                     [*pip, "gantool-superres==0.1.0"]]
    one_line_error(run_cli("install", "other.whl"), "wheel other.whl not found")
    (tmp_path / "empty").mkdir()
    one_line_error(run_cli("install", "empty"), "without pyproject.toml or setup.py")
    assert len(calls) == 3
