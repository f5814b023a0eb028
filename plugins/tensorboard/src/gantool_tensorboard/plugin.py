"""TensorBoard logs of any task's training, through the training-event hooks.

Opt-in per run: with `GANTOOL_TENSORBOARD=1` in the environment a training writes
`RUN/tensorboard/`; without it nothing is written. An environment variable, because the hooks
see the run (`RunInfo`), not the command line, and the switch is the same for every task.

This is the entry-point module, imported by every `gantool` command, so it imports nothing
heavy: `board` (torch.utils.tensorboard) is imported when a run starts with the switch on.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gantool.events import RunInfo
    from gantool_tensorboard.board import Board

SWITCH = "GANTOOL_TENSORBOARD"
FOLDER = "tensorboard"
_boards: dict[Path, Board] = {}
"""The open board of each run in progress, by run directory (a process may train several)."""


def enabled() -> bool:
    return os.environ.get(SWITCH, "").strip().lower() in {"1", "true", "yes", "on"}


def gantool_run_files() -> list[str]:
    return [FOLDER]


def gantool_train_start(run: RunInfo) -> None:
    if enabled():
        from gantool_tensorboard.board import Board

        _boards[run.out_dir] = Board(run.out_dir / FOLDER, run.out_dir / "samples", run.step,
                                     run.config)


def gantool_step_end(run: RunInfo, step: int, logs: dict[str, float]) -> None:
    if board := _boards.get(run.out_dir):
        board.scalars(logs, step)
        board.new_samples()


def gantool_eval_end(run: RunInfo, step: int, metrics: dict[str, float]) -> None:
    if board := _boards.get(run.out_dir):
        board.scalars({f"eval/{name}": value for name, value in metrics.items()}, step)


def gantool_checkpoint_saved(run: RunInfo, step: int, path: Path) -> None:
    if board := _boards.get(run.out_dir):
        board.new_samples()
        board.flush()  # what a checkpoint keeps, the board keeps too


def gantool_train_end(run: RunInfo, metrics: dict[str, float], interrupted: bool) -> None:
    if board := _boards.pop(run.out_dir, None):
        board.new_samples()
        board.close()
