"""Fixtures over the tiny images and weights of `superres_fixtures`."""

from collections.abc import Iterator
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


@pytest.fixture(autouse=True, scope="session")
def graph_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Exported ONNX graphs go to a folder of the test session, never the user's cache."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GANTOOL_CACHE_DIR", str(folder))
        yield folder
