"""bench/torch_builds.py's table: rebuilt from records, speeds oriented so above 1 is faster."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import results  # noqa: E402
import torch_builds  # noqa: E402

HERE = {"cpu": "Intel(R) Xeon(R) Processor", "cores": 2, "threads": 1, "gpu": None,
        "torch": "2.11.0"}


def test_the_table_compares_each_workload_across_builds(tmp_path, monkeypatch):
    monkeypatch.setattr(results, "FOLDER", tmp_path)
    monkeypatch.setattr(results, "machine", lambda: HERE)
    measured = [
        {"torch": "2.15.0", "ms": {"forward": 200.0}, "steps_per_second": {"dann": 10.0}},
        {"torch": "2.11.0", "ms": {"forward": 100.0}, "steps_per_second": {"dann": 8.0}},
        {"torch": "2.15.0", "ms": {"forward": 220.0}, "steps_per_second": {"dann": 12.0}},
        {"torch": "2.11.0", "ms": {"forward": 120.0}, "steps_per_second": {"dann": 9.0}},
    ]
    torch_builds.record(measured, rounds=2)
    text = torch_builds.table(results.load("torch-builds"), ["2.15.0", "2.11.0"])
    assert "| forward | 210.0 ms | 110.0 ms | 1.91x |" in text
    assert "| dann | 11.00 steps/s | 8.50 steps/s | 0.77x |" in text
    assert "median of 2 rounds" in text
