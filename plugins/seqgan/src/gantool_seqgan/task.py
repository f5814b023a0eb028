"""The `seqgan` task: each verb imports only what it needs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from gantool.task import Task

if TYPE_CHECKING:
    from gantool.report import Table
    from gantool.train import Game
    from gantool_seqgan.config import SeqganConfig, SeqganEval, SeqganRun


class SeqganTask(Task):
    name = "seqgan"

    def build_game(self, config: SeqganConfig) -> Game:
        from gantool_seqgan.training import build_game

        return build_game(config)

    def evaluate(self, options: SeqganEval) -> list[Table]:
        from gantool_seqgan.evaluation import evaluate

        return evaluate(options)

    def run(self, options: SeqganRun) -> list[Path]:
        from gantool_seqgan.inference import run_samples

        return run_samples(options)
