"""Benchmark runs kept on disk, so a budget longer than a session is reached across sessions:
a finished run is scored again without training, a stopped one resumes from its checkpoint."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from gantool.checkpoint import checkpoint_step, latest_checkpoint
from gantool.config import build
from gantool.train import train


def records(run: Path) -> list[dict]:
    lines = (run / "log.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def wall_time(log: list[dict]) -> float:
    """Seconds of training summed over the processes that trained the run (each resumed
    process restarts the log's clock)."""
    total, last = 0.0, 0.0
    for record in log:
        if record["time"] < last:
            total += last
        last = record["time"]
    return total + last


def train_or_resume(build_game: Callable, config_type: type, task: str, options: dict,
                    run: Path, steps: Callable[[object], int] = lambda config: config.steps,
                    ) -> None:
    """Train `run` to its budget (`steps` of its config; a task with stages sums them): from
    scratch, from its last checkpoint, or not at all (its last checkpoint is at the budget: a
    stopped run also leaves weights, of the step it reached, so their presence says
    nothing)."""
    config = build(config_type, options)
    latest = latest_checkpoint(run)
    if latest is not None and checkpoint_step(latest) >= steps(config):
        return
    train(lambda: build_game(config), config, run, task=task, resume=latest is not None,
          quiet=True)
