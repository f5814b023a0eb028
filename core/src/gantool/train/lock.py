"""A run directory is a training's own: it holds only a run's files, and one training at a
time writes into it, through a lock file naming the process that owns it.

A second `gantool train` pointed at a running run's `--out` is refused; a lock left by a
process that no longer exists (killed with SIGKILL, a crashed machine) is taken over.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from gantool.errors import GantoolError

LOCK = ".lock"
RUN_FILES = frozenset({"config.json", "log.jsonl", "metrics.json", "losses.png", "samples",
                       "checkpoints", "model.safetensors", LOCK})
"""What a run directory holds: a training writes into a folder holding only these (and the
game's `writes`, and what plugins name in `gantool_run_files`), so it never replaces someone's
own files."""


def check_run_folder(out_dir: Path, also: set[str]) -> None:
    """Refuse an `--out` that is a file, or a folder holding files that are neither a run's
    nor `also` (the game's and the plugins')."""
    if out_dir.exists() and not out_dir.is_dir():
        raise GantoolError(f"--out {out_dir} is a file; give a directory for the run")
    ours = RUN_FILES | also
    foreign = sorted(p.name for p in out_dir.glob("*") if p.name not in ours) \
        if out_dir.is_dir() else []
    if foreign:
        raise GantoolError(f"--out {out_dir} holds files that are not a training run's "
                           f"({', '.join(foreign[:3])}); choose a new or empty directory")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _owner(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


@contextlib.contextmanager
def run_lock(out_dir: Path) -> Iterator[None]:
    """Hold `out_dir/.lock` for the block; refuse when a live process holds it."""
    path = Path(out_dir) / LOCK
    while True:
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            break
        except FileExistsError:
            pid = _owner(path)
            if pid is not None and pid != os.getpid() and _alive(pid):
                raise GantoolError(
                    f"{out_dir} is in use by another training (pid {pid}); wait for it to "
                    "finish or choose another --out directory") from None
            print(f"notice: taking over the stale lock of {out_dir} (pid {pid} is gone)",
                  file=sys.stderr)
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
    with os.fdopen(fd, "w") as handle:
        handle.write(f"{os.getpid()}\n")
    try:
        yield
    finally:
        if _owner(path) == os.getpid():
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
