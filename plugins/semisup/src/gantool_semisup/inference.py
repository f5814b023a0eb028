"""`gantool run`: the predicted class and its probability for each input image, as a table
the CLI shows (or prints as JSON lines), and optionally as a .json or .csv file."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from torch import Tensor

from gantool.errors import GantoolError
from gantool.files import atomic_path, input_files
from gantool.images import read_image
from gantool.outputs import SomeInputsFailed, check_outputs, each_input
from gantool.report import Table
from gantool_semisup.config import SemisupRun
from gantool_semisup.data import read_images
from gantool_semisup.digit_images import as_mnist, is_mnist_like
from gantool_semisup.trained import SHIPPED, Model, load_ssl_gan, load_triple_gan, predict

COLUMNS = ["file", "class", "probability"]
REPORTS = (".json", ".csv")


def run_ssl_gan(options: SemisupRun) -> list[Path | Table]:
    """With no --weights: the shipped MNIST classifier."""
    return run(options, options.weights or SHIPPED, load_ssl_gan)


def run_triple_gan(options: SemisupRun) -> list[Path | Table]:
    if options.weights is None:
        raise GantoolError("triple-gan ships no model; pass --weights RUN/model.safetensors "
                           "from `gantool train triple-gan`")
    return run(options, options.weights, load_triple_gan)


def run(options: SemisupRun, weights: Path, load: Callable[[Path], Model]
        ) -> list[Path | Table]:
    """Outputs are checked before the model is loaded; a folder with unreadable files still
    reports (and writes) the predictions of the others, then fails listing the bad ones."""
    files = input_files(options.input, recursive=True)
    if options.output is not None:
        plan(options, files, weights)
    model = load(weights)
    try:
        read = each_input(files, lambda path: (path, *read_input(path, model)))
    except SomeInputsFailed as exc:
        raise SomeInputsFailed(str(exc), report(exc.done, model, weights, options)) from None
    return report(read, model, weights, options)


def read_input(path: Path, model: Model) -> tuple[Tensor, str | None]:
    """The image as the model takes it, and a notice when it had to be converted: a model
    trained on MNIST gets any digit picture converted as MNIST's digits were made."""
    if model.config.format != "mnist":
        return read_images([path], model.shape), None
    pixels = read_image(path, "auto")
    if is_mnist_like(pixels):
        return _tensor(pixels), None
    height, width, channels = pixels.shape
    kind = "grey" if channels == 1 else "colour"
    return _tensor(as_mnist(pixels, str(path))), (
        f"notice: {path} ({width}x{height} {kind}) was converted as MNIST's digits are: grey, "
        "light strokes on black, fitted into 20x20 and centred in 28x28")


def _tensor(pixels: np.ndarray) -> Tensor:
    return torch.from_numpy(pixels).permute(2, 0, 1)[None].float().div(255)


def plan(options: SemisupRun, files: list[Path], weights: Path) -> None:
    """Refuse an --output that would lose data (an input, the weights, an existing file
    without --overwrite) or that is no report this task writes."""
    assert options.output is not None
    check_outputs([options.output], inputs=files, overwrite=options.overwrite,
                  protected=[weights])
    if options.output.suffix.lower() not in REPORTS:
        raise GantoolError(f"--output {options.output} must end in .json or .csv")


def report(read: list[tuple[Path, Tensor, str | None]], model: Model, weights: Path,
           options: SemisupRun) -> list[Path | Table]:
    """The predictions table (its notes say which inputs were converted), and the --output
    file holding the same rows (nothing when no input could be read)."""
    if not read:
        return []
    paths, images, notices = zip(*read, strict=True)
    probability, label = predict(model, torch.cat(images)).max(1)
    rows = [[str(path), model.classes[index], round(p, 4)]
            for path, index, p in zip(paths, label.tolist(), probability.tolist(), strict=True)]
    table = Table(f"{model.task}: {weights}", COLUMNS, rows,
                  notes=[notice for notice in notices if notice])
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
