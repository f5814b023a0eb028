"""bench/cyclegan_facades.py trains a budget in segments: a scored run's generators are kept
under a name that states the steps of all its segments, a later segment starts from that file
in its own run folder, and the table shows the chain as `A + B` steps beside the one-piece row."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pytest
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import cyclegan_facades  # noqa: E402
import results  # noqa: E402
from gantool_translation import smoke  # noqa: E402
from gantool_translation.config import CycleGANConfig  # noqa: E402
from gantool_translation.cyclegan import build_game  # noqa: E402
from kept_runs import train_or_resume  # noqa: E402

pytestmark = pytest.mark.usefixtures("bench_records")


def tiny_args(tmp_path: Path, init: Path | None = None) -> argparse.Namespace:
    return argparse.Namespace(unpaired=tmp_path / "unpaired",
                              runs=tmp_path / "runs", image_size=16, ngf=4, upsample="resize",
                              steps=2, seeds=[0], methods=["cyclegan"], threads=1, init=init,
                              keep_warm=tmp_path / "warm")


def segment(args: argparse.Namespace) -> Path:
    """Train one segment and record it as the bench does (scores made up: no facades here)."""
    run = cyclegan_facades.run_folder(args, "cyclegan", 0)
    options = cyclegan_facades.options(args, "cyclegan", 0)
    train_or_resume(build_game, CycleGANConfig, "cyclegan", options, run)
    weights = run / "model.safetensors"
    results.append(cyclegan_facades.BENCH, task="cyclegan", method="cyclegan",
                   options=options, seed=0, steps=cyclegan_facades.chained_steps(weights),
                   wall_seconds=1.0, metrics={"kid": 1.0}, weights=weights)
    cyclegan_facades.keep_warm(run, "cyclegan", 0, args)
    return run


def test_a_second_segment_continues_the_kept_generators_and_the_table_shows_the_chain(
        tmp_path):
    torch.set_num_threads(1)
    smoke.unpaired(tmp_path / "unpaired")
    first = segment(tiny_args(tmp_path))
    kept = tmp_path / "warm" / "cyclegan-facades-cyclegan-4-resize-s0-2.safetensors"
    assert kept.is_file()

    second = segment(tiny_args(tmp_path, init=kept))
    assert second != first and second.name.endswith("-from-" + kept.stem)
    assert cyclegan_facades.chained_steps(second / "model.safetensors") == 4
    assert (tmp_path / "warm" / "cyclegan-facades-cyclegan-4-resize-s0-4.safetensors").is_file()

    rows, missing = cyclegan_facades.measured_rows(tiny_args(tmp_path, init=kept))
    assert missing == ["cyclegan-nocycle"]  # the ablation, not trained here
    shown = sorted(cyclegan_facades.segments(row, steps, init)
                   for (_, _, steps, _, init), row in rows.items())
    assert shown == ["2", "2 + 2"]
