"""Fixtures shared by the bench tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture
def bench_records(tmp_path, monkeypatch) -> Path:
    """The benches record into a folder of the test's own, never into bench/results, as one
    fixed machine."""
    sys.path.insert(0, str(BENCH))
    import results

    machine = {"cpu": "Intel(R) Xeon(R) Processor", "cores": 2, "threads": 1, "gpu": None,
               "torch": "2.15.0"}
    monkeypatch.setattr(results, "FOLDER", tmp_path / "results")
    monkeypatch.setattr(results, "machine", lambda: machine)
    return tmp_path / "results"
