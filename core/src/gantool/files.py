"""File helpers that never leave a partial output behind."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from gantool.errors import GantoolError

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".bmp")


def input_files(pattern: str, suffixes: tuple[str, ...] = IMAGE_SUFFIXES, *,
                recursive: bool = False, skip: Callable[[Path], bool] | None = None
                ) -> list[Path]:
    """What `--input` names, as users give it: a file, the matching files of a folder (and its
    subfolders when `recursive`) or of a glob, sorted; `skip` leaves out earlier outputs so a
    second run over a folder does not process them again."""
    path = Path(pattern)
    if path.is_file():
        return [path]
    if path.is_dir():
        found = path.rglob("*") if recursive else path.iterdir()
    elif glob.has_magic(pattern):
        found = (Path(p) for p in glob.glob(pattern, recursive=True))
    else:
        raise GantoolError(f"--input {pattern} not found; pass a file, a folder or a glob")
    files = sorted(p for p in found if p.is_file() and p.suffix.lower() in suffixes
                   and not (skip and skip(p)))
    if not files:
        raise GantoolError(f"--input {pattern} matches no files ({', '.join(suffixes)})")
    return files


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; rename it into place only if the block succeeds."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp" + path.suffix,
                               dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600 files; outputs get the usual mode
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


@contextlib.contextmanager
def atomic_dir(out: Path) -> Iterator[Path]:
    """Yield a temporary folder beside `out`, renamed to `out` only if the block succeeds: an
    interrupted data build leaves nothing behind. A non-empty `out` is refused rather than
    mixed with."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise GantoolError(f"{out} already exists and is not empty; remove it or choose "
                           "another --out")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        yield tmp
        if out.exists():
            out.rmdir()
        os.replace(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_text(path: Path, text: str) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text)


def cache_dir() -> Path:
    """Where gantool keeps files it can always rebuild (never shipped, safe to delete):
    `$GANTOOL_CACHE_DIR`, else `gantool` in the XDG cache folder."""
    if explicit := os.environ.get("GANTOOL_CACHE_DIR"):
        return Path(explicit)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "gantool"
