"""`gantool run` for every task: a task declares its run, the core runs it.

As a `Game` declares a training and the trainer owns the rest, a `Run` declares what `gantool
run TASK` needs: what an input is, how the model loads, what one prediction is (the task's
science) and what each prediction writes. The core does the rest, the same for every task,
first-party or third-party: it lists the inputs (a file, a folder or a glob), plans and checks
every output before the model is loaded (never an input, the weights or, without --overwrite,
an existing file), loads the model once, predicts input by input (a bad file is listed at the
end and the good ones are still written), writes each input's files atomically, all or none,
and returns the tables the run makes (a classifier's rows, which `--output` writes as .json or
.csv). This module imports no torch: a task's own code decides what it imports.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from gantool.errors import GantoolError
from gantool.files import IMAGE_SUFFIXES, atomic_path, input_files
from gantool.images import save_png
from gantool.outputs import SomeInputsFailed, check_outputs, each_input, plan_outputs
from gantool.predictions import check_report, write
from gantool.report import Table

M = TypeVar("M")
"""What the task's `load` returns: the model as its predictions use it."""
Options = TypeVar("Options")
"""The task's run options: `weights`, `output` and `overwrite`, and `input` if it reads files."""


@dataclass(frozen=True)
class Format:
    """How a prediction's value becomes a file: `save(value, path)` writes a plain file (the
    core makes it atomic, so it may write to `path` directly); `suffix` is the one an `--output`
    file name must have, so a name never lies about what the file holds (None: any name; several:
    `save` writes the format the name's suffix says)."""

    name: str
    suffix: str | tuple[str, ...] | None
    save: Callable[[Any, Path], None]


def _save_text(lines: str | Sequence[str], path: Path) -> None:
    text = lines if isinstance(lines, str) else "".join(line + "\n" for line in lines)
    path.write_text(text, encoding="utf-8")


PNG = Format("PNG", ".png", save_png)
"""A PIL image, or a uint8 H x W (x C) array."""
TEXT = Format("text", None, _save_text)
"""A string, or lines (each is ended with a newline), in UTF-8."""


@dataclass(frozen=True)
class Output:
    """One file each prediction writes. `file` names it: `{stem}` is the input's stem and any
    other `{field}` the run option of that name (`"{stem}_x{scale}.png"`). Where a run writes
    beside its inputs (`Run.folder` "."), files named that way are earlier outputs, which a run
    over the folder does not read again."""

    name: str
    file: str
    format: Format = PNG


@dataclass(frozen=True)
class Inputs:
    """What `--input` lists: files with these suffixes, in a folder (and its subfolders when
    `recursive`), a glob, or one file named."""

    suffixes: tuple[str, ...]
    recursive: bool = False


IMAGES = Inputs(IMAGE_SUFFIXES)
IMAGE_TREES = Inputs(IMAGE_SUFFIXES, recursive=True)
"""Images in a folder and its subfolders (class folders, say)."""


@dataclass(frozen=True)
class Run(Generic[M, Options]):
    """What `gantool run TASK` needs, registered as the task's `run=` implementation. Calling
    it with the run options runs it: the files written and the tables to show."""

    task: str
    """The task whose weights the run reads (the default `load` refuses another's)."""
    predict: Callable[[M, Path | None, Options], Any]
    """One prediction, the task's science: from the loaded model and one input (None for a run
    without inputs), the value of the one output, {name: value} of several, or what `table`
    reads. A GantoolError names what is wrong with that input; the others go on."""
    inputs: Inputs | None = IMAGES
    """None: the run reads no file (it samples) and predicts once."""
    outputs: tuple[Output, ...] = ()
    """What each prediction writes, all or none. When `--output` names a file for one input,
    it is the first output's, and the others go beside it with its stem as `{stem}`."""
    folder: str = "."
    """Where the outputs of several inputs go without `--output`: this folder beside them, named
    as `Output.file` is ("." is their own)."""
    table: Callable[[M, list[tuple[Path | None, Any]], Options], Table] | None = None
    """The table of every (input, prediction) that succeeded, shown at the end (a classifier's:
    `gantool.predictions.table`); a run without `outputs` writes it to `--output`, a .json or
    .csv file, checked before any work."""
    load: Callable[[Path, Options], M] | None = None
    """The model from the weights file and the options, loaded once (default:
    `gantool.models.load_model(weights, task)`)."""
    shipped: Callable[[Options], Path] | None = None
    """The weights without `--weights`, where the options choose them (default: the path the
    task registers as `shipped=`)."""

    def __call__(self, options: Options) -> list[Path | Table]:
        weights = _weights(self, options)
        inputs = _inputs(self, options) if self.inputs else [weights]
        outputs = _outputs(self, options)
        planned = _plan(self, outputs, options, inputs, weights)
        report = _report(self, options, inputs, weights)
        model = self.load(weights, options) if self.load else _load_model(weights, self.task)
        for folder in {path.parent for paths in planned.values() for path in paths}:
            folder.mkdir(exist_ok=True)

        def one(path: Path) -> tuple[Path | None, Any, list[Path]]:
            given = path if self.inputs else None
            prediction = self.predict(model, given, options)
            _write(outputs, prediction, planned[path])
            return given, prediction if self.table else None, planned[path]

        try:
            done = each_input(inputs, one)
        except SomeInputsFailed as exc:
            raise SomeInputsFailed(str(exc), _results(self, model, exc.done, options, report)) \
                from None
        return _results(self, model, done, options, report)


def notice(message: str) -> None:
    """Tell the user, on stderr, what a prediction changed (a conversion, a resize)."""
    print(f"notice: {message}", file=sys.stderr)


def _weights(run: Run, options: Any) -> Path:
    if options.weights is not None:
        return Path(options.weights)
    if run.shipped is not None:
        return run.shipped(options)
    from gantool.imports import import_object
    from gantool.plugins import get_plugins

    spec = get_plugins().tasks.get(run.task)
    shipped = import_object(spec.shipped) if spec.shipped else None
    if not isinstance(shipped, Path):
        raise GantoolError(f"{run.task} ships no model; pass --weights RUN/model.safetensors "
                           f"from `gantool train {run.task}`")
    return shipped


def _inputs(run: Run, options: Any) -> list[Path]:
    """The files `--input` names, less the earlier outputs of a run that writes beside them."""
    patterns = [_template(output.file, options).format(stem="\0").partition("\0")
                for output in run.outputs if run.folder == "."]

    def earlier(path: Path) -> bool:
        return any(stem and path.name.startswith(before) and path.name.endswith(after)
                   and len(path.name) > len(before) + len(after)
                   for before, stem, after in patterns)

    return input_files(options.input, run.inputs.suffixes, recursive=run.inputs.recursive,
                       skip=earlier)


def _template(template: str, options: Any) -> str:
    """`template` with the options' values in place (their braces escaped) and `{stem}` kept,
    for `plan_outputs` to fill with each input's."""
    values = {key: str(value).replace("{", "{{").replace("}", "}}")
              for key, value in vars(options).items()}
    return template.format_map({**values, "stem": "{stem}"})


def _outputs(run: Run, options: Any) -> tuple[Output, ...]:
    """What the run writes. A run without inputs writes beside the weights it is given; with
    the shipped model it writes only where --output says, and otherwise shows its table (the
    installed package is no place for a user's files)."""
    if (run.inputs is None and run.table is not None and options.weights is None
            and options.output is None):
        return ()
    return run.outputs


def _plan(run: Run, outputs: tuple[Output, ...], options: Any, inputs: list[Path],
          weights: Path) -> dict[Path, list[Path]]:
    """Each input's files, in the order of `outputs`, checked before any work."""
    if not outputs:
        return {path: [] for path in inputs}
    single = run.inputs is None or Path(options.input).is_file()
    rules = {"single": single, "output": options.output, "overwrite": options.overwrite,
             "folder": _template(run.folder, options).format(stem=""), "protected": [weights]}
    first, *others = outputs
    planned = [plan_outputs(inputs, name=_template(first.file, options), **rules)]
    named = single and options.output is not None and not options.output.is_dir()
    suffixes = first.format.suffix
    suffixes = (suffixes,) if isinstance(suffixes, str) else suffixes
    if named and suffixes and planned[0][0].suffix.lower() not in suffixes:
        raise GantoolError(f"--output {options.output}: the {first.name} is written as "
                           f"{first.format.name}; name it {' or '.join(suffixes)} or pass a "
                           "directory")
    for output in others:
        if named:
            target = planned[0][0]
            beside = [target.with_name(_template(output.file, options).format(stem=target.stem))]
            check_outputs(beside, inputs=inputs, overwrite=options.overwrite,
                          protected=[weights])
            planned.append(beside)
        else:
            planned.append(plan_outputs(inputs, name=_template(output.file, options), **rules))
    each = zip(*planned, strict=True)
    return {path: list(paths) for path, paths in zip(inputs, each, strict=True)}


def _report(run: Run, options: Any, inputs: list[Path], weights: Path) -> Path | None:
    """The file `--output` names for a run whose only result is its table, checked."""
    if run.outputs or run.table is None or options.output is None:
        return None
    check_report(options.output, inputs, overwrite=options.overwrite, protected=[weights])
    return options.output


def _load_model(weights: Path, task: str) -> Any:
    from gantool.models import load_model

    return load_model(weights, task)


def _write(outputs: tuple[Output, ...], prediction: Any, paths: list[Path]) -> None:
    """Every file of one prediction, through temporary files renamed only when all are
    complete: a failure leaves none of them."""
    values = prediction if len(outputs) > 1 else {output.name: prediction for output in outputs}
    with contextlib.ExitStack() as stack:
        for output, path in zip(outputs, paths, strict=True):
            output.format.save(values[output.name], stack.enter_context(atomic_path(path)))


def _results(run: Run, model: Any, done: list[tuple[Path | None, Any, list[Path]]],
             options: Any, report: Path | None) -> list[Path | Table]:
    """The files written, then the table of the predictions and the file holding it."""
    results: list[Path | Table] = [path for _, _, paths in done for path in paths]
    if run.table is not None and done:
        shown = run.table(model, [(given, prediction) for given, prediction, _ in done],
                          options)
        results.append(shown)
        if report is not None:
            write(shown, report)
            results.append(report)
    return results
