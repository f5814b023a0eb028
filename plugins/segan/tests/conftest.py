"""Tiny phantom folders and tiny weights made on the fly, so the suite needs no data."""

from __future__ import annotations

from pathlib import Path

import pytest

from gantool_segan.recipes.phantom import build


@pytest.fixture(scope="session")
def phantom(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A binary lesion phantom: 12 training and 6 test pairs."""
    return build(tmp_path_factory.mktemp("data") / "phantom", 0, two_class=False, train=12,
                 test=6)


@pytest.fixture(scope="session")
def phantom_two(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("data") / "phantom2", 1, two_class=True, train=12,
                 test=6)


@pytest.fixture(scope="session")
def weights(tmp_path_factory: pytest.TempPathFactory, phantom: Path) -> Path:
    """A segan model trained for 3 steps through the CLI's training path."""
    from gantool.config import build as build_config
    from gantool.train import train
    from gantool_segan.config import SeganConfig
    from gantool_segan.training import build_game

    out = tmp_path_factory.mktemp("run")
    config = build_config(SeganConfig, {
        "images": phantom / "train" / "images", "masks": phantom / "train" / "masks",
        "steps": 3, "batch_size": 4, "base": 4, "depth": 3, "critic_base": 4,
        "checkpoint_every": 0, "device": "cpu"})
    train(lambda: build_game(config), config, out, task="segan", quiet=True)
    return out / "model.safetensors"

