"""Tiny text corpora made on the fly, so tests need no data."""

from pathlib import Path

import pytest

from gantool_seqgan.smoke import write_text as _write_text


@pytest.fixture
def write_text():
    """`write_text(path, lines=60, seed=0)`: short sentences from a small grammar."""
    return _write_text


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return _write_text(tmp_path / "text.txt")
