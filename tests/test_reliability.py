"""The core's promises, tried as a user would break them: every bad input and fault is one
line and exit 2 (never a traceback), nothing is lost, and a killed run resumes."""

import errno
import json
import os
import signal
import subprocess
import sys
import textwrap
import types
from importlib import metadata

import pytest

from gantool.testing import one_line_error

SMALL = ["--steps", "6", "--batch-size", "16", "--hidden", "8", "--z-dim", "2", "--quiet",
         "--device", "cpu"]


def _one_line_error(code, err, message):
    one_line_error((code, "", err), message)


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--lr-d", "nan", "--lr-d must be a finite number"),
    ("--lr-g", "0", "--lr-g must be above 0"),
    ("--batch-size", "0", "--batch-size must be at least 1"),
    ("--steps", "-5", "--steps must be at least 1"),
    ("--objective", "nope", "--objective must be one of"),
    ("--device", "cuda:3", "no CUDA GPU is available"),
    ("--device", "toaster", "is not a device"),
])
def test_values_that_make_no_sense_are_refused(run_cli, tmp_path, option, value, message):
    code, _, err = run_cli("train", "gaussians", *SMALL, option, value, "--out", tmp_path / "r")
    _one_line_error(code, err, message)


def test_config_file_that_is_a_folder_or_not_utf8(run_cli, tmp_path):
    code, _, err = run_cli("train", "gaussians", "--config", tmp_path)
    _one_line_error(code, err, "is a directory")
    latin = tmp_path / "latin.toml"
    latin.write_bytes("steps = 3 # caf\xe9\n".encode("latin-1"))
    code, _, err = run_cli("train", "gaussians", "--config", latin)
    _one_line_error(code, err, "not UTF-8")


def test_out_that_is_a_file_and_resume_without_checkpoint(run_cli, tmp_path):
    afile = tmp_path / "file"
    afile.write_text("mine")
    code, _, err = run_cli("train", "gaussians", *SMALL, "--out", afile)
    _one_line_error(code, err, "is a file")
    assert afile.read_text() == "mine"
    code, _, err = run_cli("train", "gaussians", *SMALL, "--out", tmp_path / "new", "--resume")
    _one_line_error(code, err, "holds no checkpoint")


def test_a_torn_log_line_does_not_stop_resume_and_trainer_defaults_stay_resumable(
        run_cli, tmp_path):
    out = tmp_path / "run"
    code, _, err = run_cli("train", "gaussians", *SMALL, "--checkpoint-every", "3",
                           "--out", out)
    assert code == 0, err
    with open(out / "log.jsonl", "a") as handle:
        handle.write('{"event": "train", "step": 9, "G/lo')  # killed mid-write
    code, _, err = run_cli("train", "gaussians", "--out", out, "--resume", "--steps", "9",
                           "--checkpoint-every", "4", "--quiet")
    assert code == 0, err
    steps = [json.loads(line)["step"] for line in (out / "log.jsonl").read_text().splitlines()]
    assert steps == sorted(steps) and steps[-1] == 9


def test_a_damaged_config_json_is_one_line(run_cli, tmp_path):
    out = tmp_path / "run"
    assert run_cli("train", "gaussians", *SMALL, "--out", out)[0] == 0
    (out / "config.json").write_text('{"steps": 6, "hid')
    code, _, err = run_cli("train", "gaussians", "--out", out, "--resume", "--quiet")
    _one_line_error(code, err, "config.json is damaged")


def test_a_second_training_into_a_running_run_is_refused_and_a_stale_lock_taken(
        run_cli, tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / ".lock").write_text(f"{os.getppid()}\n")  # a live process
    code, _, err = run_cli("train", "gaussians", *SMALL, "--out", out)
    _one_line_error(code, err, "in use by another training")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (out / ".lock").write_text(f"{dead.pid}\n")
    code, _, err = run_cli("train", "gaussians", *SMALL, "--out", out)
    assert code == 0 and "stale lock" in err
    assert not (out / ".lock").exists()


def test_a_full_disk_is_one_line(run_cli, tmp_path, monkeypatch):
    from gantool import checkpoint

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "run"))

    monkeypatch.setattr(checkpoint, "save_file", full)
    code, _, err = run_cli("train", "gaussians", *SMALL, "--out", tmp_path / "run")
    _one_line_error(code, err, "No space left on device; free some disk space")


def test_sigterm_during_a_data_build_leaves_nothing_behind(tmp_path):
    out = tmp_path / "built"
    code = textwrap.dedent(f"""
        import os, signal, sys, time
        from pathlib import Path
        from gantool import cli
        from gantool.files import atomic_dir
        signal.signal(signal.SIGTERM, cli._terminated)
        with atomic_dir(Path({str(out)!r})) as tmp:
            (tmp / "part.png").write_bytes(b"x")
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(10)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def plugin_modules(monkeypatch):
    from gantool import plugins as plugin_module

    def module(name, **functions):
        mod = types.ModuleType(name)
        for key, value in functions.items():
            setattr(mod, key, value)
        monkeypatch.setitem(sys.modules, name, mod)
        return mod

    def use(*eps):
        monkeypatch.setattr(plugin_module, "_entry_points", lambda: list(eps))

    return module, use


def test_plugins_that_exit_on_import_are_contained(run_cli, plugin_modules, tmp_path):
    module, use = plugin_modules
    for name, error in (("exits", SystemExit(3)), ("base", BaseException("odd"))):
        path = tmp_path / f"{name}_plugin.py"
        path.write_text(f"raise {type(error).__name__}({error.args[0]!r})\n")
    sys.path.insert(0, str(tmp_path))
    try:
        use(metadata.EntryPoint("exits", "exits_plugin", "gantool"),
            metadata.EntryPoint("base", "base_plugin", "gantool"))
        code, out, err = run_cli("tasks")
        assert code == 0 and "gaussians" in out
        assert "exits" in err and "base" in err
    finally:
        sys.path.remove(str(tmp_path))


def test_two_plugins_with_one_task_name_are_both_named(run_cli, plugin_modules):
    module, use = plugin_modules

    def register_demo(register):
        register(name="gaussians", summary="an impostor",
                 train=("impostor:build", "impostor:Config"))

    module("impostor_plugin", gantool_register_tasks=register_demo)
    use(metadata.EntryPoint("impostor", "impostor_plugin", "gantool"))
    code, out, err = run_cli("tasks")
    assert code == 0
    assert "'gantool-core' and 'impostor'" in err and "'gantool-core' keeps it" in err
    assert "an impostor" not in out


def test_load_plugins_naming_a_missing_plugin_warns_and_unknown_task_says_why(
        run_cli, monkeypatch):
    monkeypatch.setenv("GANTOOL_LOAD_PLUGINS", "nosuchplugin")
    code, _, err = run_cli("tasks")
    assert code == 0 and "names 'nosuchplugin'" in err
    code, _, err = run_cli("train", "pix2pix")
    assert code == 2 and "GANTOOL_LOAD_PLUGINS is set" in err


def test_a_training_never_writes_into_a_folder_of_someone_elses_files(run_cli, tmp_path):
    mine = tmp_path / "model.safetensors"
    (tmp_path / "thesis.tex").write_text("years of work")
    mine.write_bytes(b"my own model")
    code, _, err = run_cli("train", "gaussians", *SMALL, "--out", tmp_path)
    _one_line_error(code, err, "holds files that are not a training run's (thesis.tex)")
    assert mine.read_bytes() == b"my own model"
