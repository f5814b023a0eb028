"""The base class of an application: the verbs a task offers to the CLI and to Python code."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from gantool.errors import GantoolError

if TYPE_CHECKING:
    from gantool.report import Table
    from gantool.train.game import Game


class Task:
    """Subclass and implement what the application supports.

    `build_game(config)` returns the `Game` the trainer plays (`gantool train`);
    `evaluate(options)` returns result tables (`gantool eval`); `run(options)` applies a trained
    model to the user's files and returns the paths it wrote (`gantool run`).
    """

    name: ClassVar[str] = ""

    def build_game(self, config: Any) -> Game:
        raise GantoolError(f"task {self.name!r} cannot be trained")

    def evaluate(self, options: Any) -> list[Table]:
        raise GantoolError(f"task {self.name!r} has no evaluation")

    def run(self, options: Any) -> list[Path]:
        raise GantoolError(f"task {self.name!r} cannot be run on inputs")
