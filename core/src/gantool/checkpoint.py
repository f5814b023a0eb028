"""Checkpoints and exported weights.

A checkpoint is a directory holding `weights.safetensors` (network and EMA tensors) and
`state.pt` (optimizer states, RNG states, step, data position, config), loaded with
`weights_only=True` so a checkpoint can never execute code. Each is written to a temporary
directory and renamed into place, then `latest` is updated atomically: a run killed at any
moment resumes from the last complete checkpoint.

Exported weights (`model.safetensors`) are what `gantool run` loads: tensors plus string
metadata naming the task and its config, so a file from another task is refused clearly.
"""

from __future__ import annotations

import errno
import json
import os
import pickle
import shutil
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

from gantool.errors import GantoolError
from gantool.files import atomic_path, atomic_write_text
from gantool.metadata import FORMAT, read_task_metadata

CHECKPOINTS = "checkpoints"


def _plain(tensors: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    return {k: v.detach().to("cpu").contiguous().clone() for k, v in tensors.items()}


def save_checkpoint(
    run_dir: Path, step: int, tensors: dict[str, torch.Tensor], state: dict[str, Any], keep: int
) -> Path:
    root = Path(run_dir) / CHECKPOINTS
    root.mkdir(parents=True, exist_ok=True)
    final = root / f"step-{step:08d}"
    tmp = root / f".step-{step:08d}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        tmp.mkdir()
        save_file(_plain(tensors), str(tmp / "weights.safetensors"))
        torch.save(state, tmp / "state.pt")
        shutil.rmtree(final, ignore_errors=True)
        os.replace(tmp, final)
        atomic_write_text(root / "latest", final.name + "\n")
    except (OSError, SafetensorError, RuntimeError) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        previous = latest_checkpoint(run_dir)
        kept = (f"the last checkpoint, {previous.name}, is intact: free space and continue "
                "with --resume" if previous else "no earlier checkpoint exists")
        raise GantoolError(f"could not write checkpoint {final} ({_reason(exc)}); {kept}") \
            from None
    for old in sorted(p for p in root.glob("step-*") if p.is_dir())[:-max(1, keep)]:
        shutil.rmtree(old, ignore_errors=True)
    return final


def _reason(exc: BaseException) -> str:
    """The cause of a failed write and its usual fix (a full disk says so, however it is
    reported: an OSError, or safetensors' own error naming the OS error)."""
    full = getattr(exc, "errno", None) == errno.ENOSPC or "StorageFull" in str(exc)
    if full:
        return "No space left on device; free some disk space"
    return getattr(exc, "strerror", None) or type(exc).__name__


def latest_checkpoint(run_dir: Path) -> Path | None:
    pointer = Path(run_dir) / CHECKPOINTS / "latest"
    if not pointer.exists():
        return None
    path = pointer.parent / pointer.read_text().strip()
    return path if path.is_dir() else None


def checkpoint_step(path: Path) -> int:
    """The training step a checkpoint directory (`step-00001234`) was saved at."""
    return int(Path(path).name.removeprefix("step-"))


def load_checkpoint(path: Path) -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
    try:
        tensors = load_file(str(path / "weights.safetensors"))
        state = torch.load(path / "state.pt", weights_only=True, map_location="cpu")
    except UNREADABLE as exc:
        raise GantoolError(
            f"checkpoint {path} is unreadable ({type(exc).__name__}); "
            "delete it to resume from the one before, or start without --resume"
        ) from None
    return tensors, state


UNREADABLE = (OSError, SafetensorError, RuntimeError, EOFError, ValueError, AttributeError,
              pickle.UnpicklingError)
"""What reading a damaged, truncated or code-carrying (pickled-object) file raises."""


def read_state_dict(path: Path, what: str) -> dict[str, torch.Tensor]:
    """A plain tensor state dict from a .pth/.pt file (`weights_only`: a pickle that would run
    code is refused) or a .safetensors file; any unusable file is one line naming `what`."""
    try:
        if Path(path).suffix == ".safetensors":
            return load_file(str(path))
        state = torch.load(path, map_location="cpu", weights_only=True)
    except UNREADABLE as exc:
        raise GantoolError(f"{what} {path} is not a readable tensor file "
                           f"({type(exc).__name__}); pass a plain state dict saved with "
                           "torch.save(model.state_dict()) or as safetensors") from None
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor)
                                              for v in state.values()):
        raise GantoolError(f"{what} {path} holds no state dict of tensors; pass one saved "
                           "with torch.save(model.state_dict())")
    return state


def save_weights(path: Path, tensors: dict[str, torch.Tensor], metadata: dict[str, str]) -> None:
    """Write exported weights atomically, with gantool's metadata."""
    meta = {"format": FORMAT, **{k: str(v) for k, v in metadata.items()}}
    try:
        with atomic_path(Path(path)) as tmp:
            save_file(_plain(tensors), str(tmp), metadata=meta)
    except (OSError, SafetensorError) as exc:
        raise GantoolError(f"could not write {path} ({_reason(exc)}); free space and try "
                           "again (an existing file there is unchanged)") from None


def load_weights(path: Path, task: str | None = None) -> tuple[dict[str, torch.Tensor], dict]:
    """Tensors and metadata of an exported model, refusing files made for another task."""
    metadata = read_task_metadata(path, task)
    try:
        tensors = load_file(str(path))
    except (SafetensorError, OSError) as exc:
        raise GantoolError(f"weights file {path} is corrupt ({exc})") from None
    return tensors, metadata


def config_from_metadata(metadata: dict[str, str]) -> dict[str, Any]:
    return json.loads(metadata.get("config", "{}"))
