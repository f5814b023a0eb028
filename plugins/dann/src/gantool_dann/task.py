"""The `dann` task: each verb imports only what it needs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from gantool.task import Task

if TYPE_CHECKING:
    from gantool.report import Table
    from gantool.train import Game
    from gantool_dann.config import DannConfig, DannEval, DannRun


class DannTask(Task):
    name = "dann"

    def build_game(self, config: DannConfig) -> Game:
        from gantool_dann.training import build_game

        return build_game(config)

    def evaluate(self, options: DannEval) -> list[Table]:
        from gantool_dann.evaluation import evaluate

        return evaluate(options)

    def run(self, options: DannRun) -> list[Path]:
        from gantool_dann.inference import run_files

        return run_files(options)
