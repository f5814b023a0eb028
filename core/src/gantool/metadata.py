"""The metadata of exported weights, read without torch.

A safetensors file's header holds gantool's string metadata (format, task, config); reading
it needs neither torch nor the tensors, so a command can check a weights file before it
decides how to run it.
"""

from __future__ import annotations

from pathlib import Path

from safetensors import SafetensorError, safe_open

from gantool.errors import GantoolError

FORMAT = "gantool-weights-1"


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
