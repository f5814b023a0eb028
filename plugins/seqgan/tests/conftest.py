"""Tiny text corpora made on the fly, so tests need no data."""

import random
from pathlib import Path

import pytest

SUBJECTS = ["the king", "a man", "the people", "his son", "the lord"]
VERBS = ["went", "said", "came", "spake", "gave"]
OBJECTS = ["unto the city", "to the house", "in the land", "of the sea", "by the river"]


def _write_text(path: Path, lines: int = 60, seed: int = 0) -> Path:
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(f"And {rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}.\n"
                   for _ in range(lines))
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def write_text():
    """`write_text(path, lines=60, seed=0)`: short sentences from a small grammar."""
    return _write_text


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return _write_text(tmp_path / "text.txt")
