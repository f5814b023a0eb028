"""`gantool run`: the predicted class and its probability for each input image, as a table
the CLI shows (or prints as JSON lines), and optionally as a .json or .csv file."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import torch
from torch import Tensor

from gantool.errors import GantoolError
from gantool.files import atomic_path, input_files
from gantool.outputs import SomeInputsFailed, check_outputs, each_input
from gantool.report import Table
from gantool_semisup.config import SemisupRun
from gantool_semisup.data import read_images
from gantool_semisup.trained import Model, load_ssl_gan, load_triple_gan, predict

COLUMNS = ["file", "class", "probability"]
REPORTS = (".json", ".csv")


def run_ssl_gan(options: SemisupRun) -> list[Path | Table]:
    return run(options, load_ssl_gan)


def run_triple_gan(options: SemisupRun) -> list[Path | Table]:
    return run(options, load_triple_gan)


def run(options: SemisupRun, load: Callable[[Path], Model]) -> list[Path | Table]:
    """Outputs are checked before the model is loaded; a folder with unreadable files still
    reports (and writes) the predictions of the others, then fails listing the bad ones."""
    files = input_files(options.input, recursive=True)
    if options.output is not None:
        plan(options, files)
    model = load(options.weights)
    try:
        read = each_input(files, lambda path: (path, read_images([path], model.shape)))
    except SomeInputsFailed as exc:
        raise SomeInputsFailed(str(exc), report(exc.done, model, options)) from None
    return report(read, model, options)


def plan(options: SemisupRun, files: list[Path]) -> None:
    """Refuse an --output that would lose data (an input, the weights, an existing file
    without --overwrite) or that is no report this task writes."""
    assert options.output is not None
    check_outputs([options.output], inputs=files, overwrite=options.overwrite,
                  protected=[options.weights])
    if options.output.suffix.lower() not in REPORTS:
        raise GantoolError(f"--output {options.output} must end in .json or .csv")


def report(read: list[tuple[Path, Tensor]], model: Model,
           options: SemisupRun) -> list[Path | Table]:
    """The predictions table, and the --output file holding the same rows (nothing when no
    input could be read)."""
    if not read:
        return []
    paths, images = zip(*read, strict=True)
    probability, label = predict(model, torch.cat(images)).max(1)
    rows = [[str(path), model.classes[index], round(p, 4)]
            for path, index, p in zip(paths, label.tolist(), probability.tolist(), strict=True)]
    table = Table(f"{model.task}: {options.weights}", COLUMNS, rows)
    if options.output is None:
        return [table]
    write(rows, options.output)
    return [table, options.output]


def write(rows: list[list], path: Path) -> None:
    """Atomically: an interrupted run leaves no partial report."""
    with atomic_path(path) as tmp, open(tmp, "w", newline="") as handle:
        if path.suffix.lower() == ".json":
            json.dump([dict(zip(COLUMNS, row, strict=True)) for row in rows], handle, indent=2)
        else:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            writer.writerows(rows)
