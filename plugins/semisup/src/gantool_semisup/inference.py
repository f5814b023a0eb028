"""`gantool run`: the predicted class and its probability for each input image
(`gantool.predictions`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from torch import Tensor

from gantool.errors import GantoolError
from gantool.files import input_files
from gantool.images import read_image
from gantool.outputs import SomeInputsFailed, each_input
from gantool.predictions import check_report, predictions
from gantool.report import Table
from gantool_semisup.config import SemisupRun
from gantool_semisup.data import read_images
from gantool_semisup.digit_images import as_mnist, is_mnist_like
from gantool_semisup.trained import SHIPPED, Model, load_ssl_gan, load_triple_gan, predict


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
        check_report(options.output, files, overwrite=options.overwrite, protected=[weights])
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


def report(read: list[tuple[Path, Tensor, str | None]], model: Model, weights: Path,
           options: SemisupRun) -> list[Path | Table]:
    """The predictions table (its notes say which inputs were converted), and the --output
    file holding the same rows (nothing when no input could be read)."""
    if not read:
        return []
    paths, images, notices = zip(*read, strict=True)
    return predictions(f"{model.task}: {weights}", paths, model.classes,
                       predict(model, torch.cat(images)),
                       [notice for notice in notices if notice], options.output)
