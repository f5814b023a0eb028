"""The `pix2pix` and `cyclegan` tasks: each verb imports only what it needs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from gantool.task import Task

if TYPE_CHECKING:
    from gantool.report import Table
    from gantool.train import Game
    from gantool_translation.config import (
        CycleGANConfig,
        CycleGANEval,
        Pix2PixConfig,
        Pix2PixEval,
        TranslationRun,
    )


class Pix2PixTask(Task):
    name = "pix2pix"

    def build_game(self, config: Pix2PixConfig) -> Game:
        from gantool_translation.pix2pix import build_game

        return build_game(config)

    def evaluate(self, options: Pix2PixEval) -> list[Table]:
        from gantool_translation.evaluation import evaluate_pix2pix

        return evaluate_pix2pix(options)

    def run(self, options: TranslationRun) -> list[Path]:
        from gantool_translation.inference import run_files

        return run_files(self.name, options)


class CycleGANTask(Task):
    name = "cyclegan"

    def build_game(self, config: CycleGANConfig) -> Game:
        from gantool_translation.cyclegan import build_game

        return build_game(config)

    def evaluate(self, options: CycleGANEval) -> list[Table]:
        from gantool_translation.evaluation import evaluate_cyclegan

        return evaluate_cyclegan(options)

    def run(self, options: TranslationRun) -> list[Path]:
        from gantool_translation.inference import run_files

        return run_files(self.name, options)
