"""The two tasks: each builds its game; evaluation and inference are shared."""

from __future__ import annotations

from pathlib import Path

from gantool.report import Table
from gantool.task import Task
from gantool.train import Game
from gantool_semisup import evaluation, inference, kplus1, triple
from gantool_semisup.config import SemisupEval, SemisupRun, SslGanConfig, TripleGanConfig
from gantool_semisup.setup import prepare


class _SemisupTask(Task):
    def evaluate(self, options: SemisupEval) -> list[Table]:
        return evaluation.evaluate(options)

    def run(self, options: SemisupRun) -> list[Path]:
        return inference.run(options)


class SslGanTask(_SemisupTask):
    name = "ssl-gan"

    def build_game(self, config: SslGanConfig) -> Game:
        return kplus1.build_game(config, prepare(config))


class TripleGanTask(_SemisupTask):
    name = "triple-gan"

    def build_game(self, config: TripleGanConfig) -> Game:
        return triple.build_game(config, prepare(config))
