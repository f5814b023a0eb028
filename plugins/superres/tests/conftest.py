"""Fixtures over the tiny images and weights of `superres_fixtures`, and a CLI runner."""

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image
from superres_fixtures import photo, write_weights

from gantool.cli import main

Gantool = Callable[..., tuple[int, str, str]]


@pytest.fixture
def weights(tmp_path: Path) -> Path:
    return write_weights(tmp_path / "tiny.safetensors")


@pytest.fixture
def rgb_png(tmp_path: Path) -> Path:
    path = tmp_path / "in" / "photo.png"
    path.parent.mkdir()
    Image.fromarray(photo()).save(path)
    return path


@pytest.fixture
def gantool(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> Gantool:
    """`gantool ARGS...` in this process, as a user runs it: (exit code, stdout, stderr)."""

    def run(*args: object) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["gantool", *map(str, args)])
        with pytest.raises(SystemExit) as exit_info:
            main()
        captured = capsys.readouterr()
        return exit_info.value.code or 0, captured.out, captured.err

    return run


@pytest.fixture(autouse=True, scope="session")
def graph_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Exported ONNX graphs go to a folder of the test session, never the user's cache."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GANTOOL_CACHE_DIR", str(folder))
        yield folder
