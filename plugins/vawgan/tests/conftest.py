"""Fixtures of the vawgan tests: a tiny synthetic corpus and a model trained on it once."""

from pathlib import Path

import pytest
from vawgan_speech import TINY_OPTIONS, write_corpus


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("speech"))


@pytest.fixture(scope="session")
def weights(corpus: Path, tmp_path_factory) -> Path:
    """A model trained for a few steps through the Python entry point (shared by the tests)."""
    from gantool.config import build
    from gantool.train import train
    from gantool_vawgan.config import VawganConfig
    from gantool_vawgan.plugin import TASK
    from gantool_vawgan.training import build_game

    config = build(VawganConfig, {"data": corpus, **TINY_OPTIONS})
    out = tmp_path_factory.mktemp("run")
    train(lambda: build_game(config), config, out, task=TASK, quiet=True)
    return out / "model.safetensors"
