"""bench/seqgan_oracle.py without training: its table is rebuilt from records of every seed,
says per seed whether SeqGAN ended below continued MLE, and a continuation never starts from
a pretrained model of another budget."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import results  # noqa: E402
import seqgan_oracle  # noqa: E402

pytestmark = pytest.mark.usefixtures("bench_records")


def oracle_args(tmp_path: Path, **changed: int) -> argparse.Namespace:
    return argparse.Namespace(runs=tmp_path / "runs", seeds=[0, 1], methods=["mle"],
                              pretrained=None, keep_pretrained=None, score_only=True,
                              scratch=None, **{**seqgan_oracle.DEFAULTS, **changed})


def recorded(args: argparse.Namespace, method: str, seed: int, nll_oracle: float,
             nll_test: float) -> None:
    results.append(seqgan_oracle.BENCH, task="seqgan", method=method,
                   options=seqgan_oracle.record_options(args, method), seed=seed, steps=10,
                   wall_seconds=600.0, metrics={"nll_oracle": nll_oracle, "nll_test": nll_test},
                   weights=None)


def test_the_table_holds_every_seed_and_says_where_seqgan_ended(tmp_path):
    args = oracle_args(tmp_path)
    for seed, (mle, seqgan) in enumerate([(9.05, 8.90), (9.03, 9.10)]):
        recorded(args, "mle", seed, mle, 7.50)
        recorded(args, "seqgan", seed, seqgan, 7.60)
    recorded(oracle_args(tmp_path, adversarial_steps=7), "seqgan", 2, 1.0, 1.0)
    text = seqgan_oracle.table(results.load(seqgan_oracle.BENCH), args)
    assert "| MLE continued, + 70,000 updates (449 epochs) (2 seeds) | 9.040 ± 0.014 |" in text
    assert "G steps (2 seeds) | 9.000 ± 0.141 | 7.600 ± 0.000 |" in text
    assert "Records pending for random, mle-pretrain" in text
    assert ("Seed 0: SeqGAN ended below continued MLE in NLL-oracle (8.900 against 9.050, "
            "-0.150) and its NLL-test rose by 0.100") in text
    assert "seed 1: SeqGAN ended above continued MLE in NLL-oracle" in text
    assert "--seeds 0 1`" in text


def test_continuations_refuse_a_pretrained_model_of_another_budget(tmp_path):
    warm = tmp_path / "warm"
    warm.mkdir()
    save_file({"x": torch.zeros(1)}, warm / seqgan_oracle.kept_name(0), metadata={"step": "5"})
    args = oracle_args(tmp_path)
    args.pretrained = warm
    with pytest.raises(SystemExit, match="pretrained for 5 updates, not --pretrain-steps 12500"):
        seqgan_oracle.check_start(args, 0)
    with pytest.raises(SystemExit, match="no pretrained model for seed 1"):
        seqgan_oracle.check_start(args, 1)


def test_curve_minutes_add_up_over_resumed_processes():
    log = [{"event": "train", "step": 1, "time": 60.0},
           {"event": "eval", "step": 2, "time": 120.0, "nll_oracle": 9.1},
           {"event": "train", "step": 3, "time": 30.0},  # resumed: the clock restarts
           {"event": "eval", "step": 4, "time": 60.0, "nll_oracle": 9.0}]
    assert [r["minutes"] for r in seqgan_oracle.evaluations(log)] == [2.0, 3.0]
