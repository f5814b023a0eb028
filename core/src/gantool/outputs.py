"""Where `gantool run` writes, decided before any work, and the rule that no data is lost.

Every task plans its outputs here: one file beside a single input (or at `--output`), or one
file per input in a folder. A planned output may never be one of the inputs or the weights
being read, and may not replace an existing file unless the user passed `--overwrite`.
`each_input` then processes a folder file by file: the good files are written, the bad ones
are listed with their reasons at the end, and the command exits non-zero.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TypeVar

from gantool.errors import GantoolError

T = TypeVar("T")


class SomeInputsFailed(GantoolError):
    """Some inputs of a folder could not be processed; `done` holds what the others gave."""

    exit_code = 1

    def __init__(self, message: str, done: list) -> None:
        super().__init__(message)
        self.done = done


def _same(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def plan_outputs(inputs: Sequence[Path], *, single: bool, output: Path | None, name: str,
                 folder: str, overwrite: bool = False,
                 protected: Iterable[Path | None] = ()) -> list[Path]:
    """One output path per input, checked before anything is computed.

    `single`: the user named one file, so its output is `output` (a file, or a folder to put
    it in) or `name` formatted with the input's stem beside it (`"{stem}_x4.png"`). Otherwise
    the outputs go in `output`, or in `folder` beside the inputs, one `name` per input.
    `protected` lists other files the run reads (the weights), never to be written over.
    """
    if single:
        target = output or inputs[0].with_name(name.format(stem=inputs[0].stem))
        if target.is_dir():
            target = target / name.format(stem=inputs[0].stem)
        elif output is not None and not output.suffix:
            raise GantoolError(f"--output {output} is not an existing directory, nor a file "
                               f"name with a suffix; create the directory or name the file "
                               f"(for example {output.with_suffix(Path(name).suffix)})")
        parent = target.parent if str(target.parent) else Path(".")
        if not parent.is_dir():
            raise GantoolError(f"output directory {parent} does not exist; create it or choose "
                               "another --output")
        outputs = [target]
    else:
        root = check_output_folder(output or inputs[0].parent / folder,
                                   f"--input gives {len(inputs)} files")
        outputs = [root / name.format(stem=path.stem) for path in inputs]
    check_outputs(outputs, inputs=inputs, overwrite=overwrite, protected=protected,
                  new_folder=not single)
    return outputs


def check_outputs(outputs: Sequence[Path], *, inputs: Iterable[Path] = (),
                  overwrite: bool = False, protected: Iterable[Path | None] = (),
                  new_folder: bool = False) -> None:
    """Refuse outputs that would lose data or cannot be written, before any work is done.
    Their folder must exist, unless `new_folder` (a folder the run creates for them)."""
    kept = [Path(p) for p in [*inputs, *protected] if p is not None]
    seen: dict[Path, Path] = {}
    for path in outputs:
        for source in kept:
            if _same(path, source) or path.absolute() == source.absolute():
                raise GantoolError(f"output {path} is the file being read ({source}); choose "
                                   "another --output")
        key = path.absolute()
        if key in seen:
            raise GantoolError(f"two inputs would both be written to {path}; give them "
                               "different names or process them separately")
        seen[key] = path
        if path.is_dir():
            raise GantoolError(f"output path {path} is a directory; give a file name")
        if path.exists() and not overwrite:
            raise GantoolError(f"{path} already exists; pass --overwrite to replace it or "
                               "choose another --output")
        parent = path.parent if str(path.parent) else Path(".")
        if not new_folder and not parent.exists():
            raise GantoolError(f"output directory {parent} does not exist; create it or choose "
                               "another --output")
        if parent.exists() and not parent.is_dir():
            raise GantoolError(f"{parent} is a file, so {path} cannot be written; choose "
                               "another --output")


def each_input(inputs: Sequence[Path], process: Callable[[Path], T]) -> list[T]:
    """`process` every input; a failing one is reported and skipped, so one bad file in a
    folder does not stop the rest. Raises SomeInputsFailed listing them at the end. Create the
    output folder (`mkdir`) before: planning only checks that it can be made."""
    results: list[T] = []
    failures: list[str] = []
    for path in inputs:
        try:
            results.append(process(path))
        except GantoolError as exc:
            if len(inputs) == 1:
                raise
            failures.append(f"{path}: {exc}")
        except OSError as exc:
            if len(inputs) == 1:
                raise
            failures.append(f"{path}: {exc.strerror or exc}")
    if failures:
        for line in failures:
            print(f"failed: {line}", file=sys.stderr)
        raise SomeInputsFailed(f"{len(failures)} of {len(inputs)} inputs failed (listed above); "
                               "the others were processed", results)
    return results


def check_output_folder(folder: Path, why: str) -> Path:
    """`folder`, refused in one line where it cannot hold several outputs: it is a file, looks
    like a file name, or its parent does not exist. `why` says why several files are written."""
    if folder.exists() and not folder.is_dir():
        raise GantoolError(f"--output {folder} is a file, but {why}; pass a directory")
    if folder.suffix and not folder.exists():
        raise GantoolError(f"--output {folder} looks like a file name, but {why}; pass a "
                           "directory")
    if not folder.parent.is_dir():
        raise GantoolError(f"output directory {folder.parent} does not exist; create it or "
                           "choose another --output")
    return folder
