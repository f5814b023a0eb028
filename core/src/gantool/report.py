"""Result tables: shown by the CLI with rich, written to README sections by bench scripts."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any


def _cell(value: Any) -> str:
    """Four significant digits; large values in full with thousands separators; no "-0"."""
    if isinstance(value, float):
        if value == 0:
            return "0"
        return f"{value:.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return str(value)


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_markdown(self) -> str:
        lines = [f"**{self.title}**", "", "| " + " | ".join(self.columns) + " |",
                 "|" + "---|" * len(self.columns)]
        lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in self.rows]
        if self.notes:
            lines += [""] + [f"{note}" for note in self.notes]
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, default=str)

    def show(self) -> None:
        from rich.console import Console
        from rich.table import Table as RichTable

        table = RichTable(title=self.title)
        for column in self.columns:
            table.add_column(column)
        for row in self.rows:
            table.add_row(*(_cell(v) for v in row))
        console = Console()
        console.print(table)
        for note in self.notes:
            console.print(note, style="dim")
