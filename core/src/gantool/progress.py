"""A progress bar for long `gantool run` work, shown only where someone is watching."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

from rich.console import Console

T = TypeVar("T")


def tracked(items: Iterable[T], total: int, description: str,
            console: Console | None = None) -> Iterator[T]:
    """`items` unchanged, with a transient bar on stderr while they are consumed, when stderr
    is a terminal and there is more than one item (pipes, logs and tests stay clean)."""
    console = console or Console(stderr=True)
    if total <= 1 or not console.is_terminal:
        yield from items
        return
    from rich.progress import track

    yield from track(items, total=total, description=description, console=console,
                     transient=True)
