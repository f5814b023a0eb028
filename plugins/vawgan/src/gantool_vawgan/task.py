"""The `vawgan` task: each verb imports only what it needs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from gantool.task import Task

if TYPE_CHECKING:
    from gantool.report import Table
    from gantool.train import Game
    from gantool_vawgan.config import VawganConfig, VawganEval, VawganRun


class VawganTask(Task):
    name = "vawgan"

    def build_game(self, config: VawganConfig) -> Game:
        from gantool_vawgan.training import build_game

        return build_game(config)

    def evaluate(self, options: VawganEval) -> list[Table]:
        from gantool_vawgan.evaluation import evaluate

        return evaluate(options)

    def run(self, options: VawganRun) -> list[Path]:
        from gantool_vawgan.inference import convert_file

        return [convert_file(options)]
