"""Fixtures over the tiny images and weights of `superres_fixtures`."""

from pathlib import Path

import pytest
from PIL import Image
from superres_fixtures import photo, write_weights


@pytest.fixture
def weights(tmp_path: Path) -> Path:
    return write_weights(tmp_path / "tiny.safetensors")


@pytest.fixture
def rgb_png(tmp_path: Path) -> Path:
    path = tmp_path / "in" / "photo.png"
    path.parent.mkdir()
    Image.fromarray(photo()).save(path)
    return path
