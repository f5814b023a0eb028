"""The `superres` task: each verb imports only what it needs, so `gantool run` stays light."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from gantool.task import Task

if TYPE_CHECKING:
    from gantool.report import Table
    from gantool.train import Game
    from gantool_superres.config import SuperResConfig, SuperResEval, SuperResRun


class SuperResTask(Task):
    name = "superres"

    def build_game(self, config: SuperResConfig) -> Game:
        from gantool_superres.training import build_game

        return build_game(config)

    def evaluate(self, options: SuperResEval) -> list[Table]:
        from gantool_superres.evaluation import evaluate

        return evaluate(options)

    def run(self, options: SuperResRun) -> list[Path]:
        from gantool_superres.inference import run_files

        return run_files(options)
