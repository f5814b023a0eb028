"""Exported weights without torch: their metadata and the layout of their tensors.

A safetensors file's header holds gantool's string metadata (format, task, config); reading
it needs neither torch nor the tensors, so a command can check a weights file before it
decides how to run it. Tensors are named `prefix/network/parameter`, whatever array type
holds them (torch tensors, or numpy arrays for a runtime without torch).
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from safetensors import SafetensorError, safe_open

from gantool.errors import GantoolError

FORMAT = "gantool-weights-1"
T = TypeVar("T")


def read_metadata(path: Path) -> dict[str, str]:
    path = Path(path)
    if not path.is_file():
        raise GantoolError(f"weights file {path} not found; check the --weights path")
    try:
        with safe_open(str(path), framework="numpy") as handle:
            return dict(handle.metadata() or {})
    except (SafetensorError, OSError, ValueError) as exc:
        raise GantoolError(
            f"weights file {path} is not a readable safetensors file ({exc}); "
            "re-export it or pass another --weights"
        ) from None


def read_task_metadata(path: Path, task: str | None = None) -> dict[str, str]:
    """The metadata of gantool weights, refusing files made for another task."""
    metadata = read_metadata(path)
    if metadata.get("format") != FORMAT:
        raise GantoolError(f"{path} was not written by gantool (no '{FORMAT}' metadata)")
    if task is not None and metadata.get("task") != task:
        raise GantoolError(
            f"{path} holds weights for task {metadata.get('task')!r}, not {task!r}; "
            f"pass weights trained with `gantool train {task}`"
        )
    return metadata


def split_networks(tensors: dict[str, T], prefix: str) -> dict[str, dict[str, T]]:
    """{'prefix/name/key': t} -> {name: {key: t}}."""
    out: dict[str, dict[str, T]] = {}
    for key, value in tensors.items():
        head, _, rest = key.partition("/")
        if head != prefix:
            continue
        name, _, param = rest.partition("/")
        out.setdefault(name, {})[param] = value
    return out


def join_networks(prefix: str, states: dict[str, dict[str, T]]) -> dict[str, T]:
    return {f"{prefix}/{name}/{k}": v for name, state in states.items() for k, v in state.items()}
