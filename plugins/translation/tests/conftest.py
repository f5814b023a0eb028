"""Tiny paired and unpaired image folders made on the fly, so tests need no data."""

from pathlib import Path

import numpy as np
import pytest
from translation_fixtures import save, scene

from gantool_translation import smoke


@pytest.fixture
def paired(tmp_path: Path) -> Path:
    return smoke.paired(tmp_path / "paired")


@pytest.fixture
def unpaired(tmp_path: Path) -> Path:
    return smoke.unpaired(tmp_path / "unpaired")


@pytest.fixture
def colour_image(tmp_path: Path) -> Path:
    """A 21x13 colour image: sizes no network divides."""
    return save(scene(21, np.random.default_rng(5))[:13], tmp_path / "in" / "colour.png")


@pytest.fixture
def grey_image(tmp_path: Path) -> Path:
    pixels = scene(21, np.random.default_rng(6))[:13].mean(2)
    return save(pixels, tmp_path / "in" / "grey.png")
