"""The `segan` task: each verb imports only what it needs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from gantool.task import Task

if TYPE_CHECKING:
    from gantool.report import Table
    from gantool.train import Game
    from gantool_segan.config import SeganConfig, SeganEval, SeganRun


class SeganTask(Task):
    name = "segan"

    def build_game(self, config: SeganConfig) -> Game:
        from gantool_segan.training import build_game

        return build_game(config)

    def evaluate(self, options: SeganEval) -> list[Table]:
        from gantool_segan.evaluation import evaluate

        return evaluate(options)

    def run(self, options: SeganRun) -> list[Path]:
        from gantool_segan.inference import run_files

        return run_files(options)
