"""Tiny two-domain image folders made on the fly, and the CLI runner, so tests need no data."""

from pathlib import Path

import pytest

from gantool_dann.smoke import write_domain as _write_domain


@pytest.fixture
def write_domain():
    """`write_domain(root, size=8, colour=False, labelled=True, per_class=6, splits=...)`."""
    return _write_domain


@pytest.fixture
def domains(tmp_path: Path) -> tuple[Path, Path]:
    """(source: 8x8 grey labelled, target: 8x8 colour labelled), each with train/ and test/."""
    return (_write_domain(tmp_path / "source"),
            _write_domain(tmp_path / "target", colour=True, seed=1))


@pytest.fixture(scope="session")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """model.safetensors of a 3-step dann run on tiny domains (copy it before changing it)."""
    from gantool.config import build
    from gantool.train import train
    from gantool_dann.config import DannConfig
    from gantool_dann.training import build_game

    root = tmp_path_factory.mktemp("dann")
    config = build(DannConfig, {
        "source": _write_domain(root / "source"),
        "target": _write_domain(root / "target", colour=True, seed=1),
        "steps": 3, "batch_size": 4, "features": 4, "hidden": 8, "checkpoint_every": 0,
        "device": "cpu"})
    train(lambda: build_game(config), config, root / "run", task="dann", quiet=True)
    return root / "run" / "model.safetensors"
