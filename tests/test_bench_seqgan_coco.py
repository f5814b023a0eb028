"""bench/seqgan_coco.py without training: the continuations of every seed, each started from
its own seed's pretrained model, meet in one row of the table."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import results  # noqa: E402
import seqgan_coco  # noqa: E402

HERE = {"cpu": "Intel(R) Xeon(R) Processor", "cores": 2, "threads": 1, "gpu": None,
        "torch": "2.11.0"}
SCORES = {"bleu2": 0.7, "bleu3": 0.5, "bleu4": 0.3, "bleu5": 0.2, "self_bleu2": 0.8,
          "self_bleu4": 0.4, "nll_reference": 2.0}


@pytest.fixture(autouse=True)
def folder(tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr(results, "FOLDER", tmp_path / "results")
    monkeypatch.setattr(results, "machine", lambda: HERE)
    return tmp_path / "results"


def test_every_seed_of_a_continuation_lands_in_its_row(tmp_path):
    args = argparse.Namespace(coco=Path("coco"), runs=tmp_path / "runs", **seqgan_coco.DEFAULTS)
    for seed, bleu4 in [(0, 0.30), (1, 0.32)]:
        for method in seqgan_coco.METHODS:
            results.append(seqgan_coco.BENCH, task="seqgan", method=method,
                           options=seqgan_coco.options(args, method, seed), seed=seed,
                           steps=10, wall_seconds=60.0, metrics={**SCORES, "bleu4": bleu4},
                           weights=None)
    text = seqgan_coco.table(results.load(seqgan_coco.BENCH), args)
    rows = [line for line in text.splitlines() if line.startswith(("| MLE", "| SeqGAN"))]
    assert len(rows) == 3
    assert all("(2 seeds)" in row and "0.310 ± 0.014" in row for row in rows), rows
