"""File helpers: the cache folder, and the weights header read without torch."""

import subprocess
import sys

import pytest
import torch

from gantool.checkpoint import load_weights, save_weights
from gantool.errors import GantoolError
from gantool.files import cache_dir
from gantool.metadata import read_task_metadata


def test_cache_dir_follows_gantool_then_xdg_then_home(monkeypatch, tmp_path):
    monkeypatch.delenv("GANTOOL_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "gantool"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "gantool"
    monkeypatch.setenv("GANTOOL_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine"


def test_header_is_checked_like_the_full_load(tmp_path):
    path = tmp_path / "model.safetensors"
    save_weights(path, {"w": torch.ones(2)}, {"task": "gaussians"})
    assert read_task_metadata(path, "gaussians")["task"] == "gaussians"
    assert load_weights(path, "gaussians")[1] == read_task_metadata(path)
    with pytest.raises(GantoolError, match="'gaussians', not 'superres'"):
        read_task_metadata(path, "superres")
    (tmp_path / "junk.safetensors").write_bytes(b"not a safetensors file")
    with pytest.raises(GantoolError, match="not a readable safetensors file"):
        read_task_metadata(tmp_path / "junk.safetensors")


def test_reading_a_header_does_not_import_torch(tmp_path):
    path = tmp_path / "model.safetensors"
    save_weights(path, {"w": torch.ones(2)}, {"task": "gaussians"})
    code = ("import sys; from gantool.metadata import read_task_metadata; "
            "assert read_task_metadata(sys.argv[1], 'gaussians'); "
            "assert 'torch' not in sys.modules")
    subprocess.run([sys.executable, "-c", code, str(path)], check=True)
