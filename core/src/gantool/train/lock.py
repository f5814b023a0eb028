"""One training per run directory: a lock file naming the process that owns it.

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
