"""The rich progress bar: stage, steps, ETA and the latest losses."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any


class Progress(AbstractContextManager):
    """A thin wrapper so the trainer does not care whether a bar is shown."""

    def __init__(self, total: int, completed: int, enabled: bool) -> None:
        self.enabled = enabled
        self._bar: Any = None
        if enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as RichProgress

            self._bar = RichProgress(
                TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn(),
                TextColumn("{task.fields[losses]}"), console=Console(stderr=True),
            )
            self._task = self._bar.add_task("train", total=total, completed=completed, losses="")

    def __enter__(self) -> Progress:
        if self._bar is not None:
            self._bar.start()
        return self

    def update(self, stage: str, step: int, losses: dict[str, float] | None = None) -> None:
        if self._bar is None:
            return
        fields: dict[str, Any] = {"description": stage, "completed": step}
        if losses is not None:
            fields["losses"] = "  ".join(f"{k} {v:.4g}" for k, v in losses.items())
        self._bar.update(self._task, **fields)

    def print(self, message: str) -> None:
        if self._bar is not None:
            self._bar.console.print(message)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
