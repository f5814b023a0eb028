"""`gantool run ssl-gan|triple-gan`: the predicted class and its probability for each input
image (`gantool.run` lists and reads them, `gantool.predictions` shows and writes the rows)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from torch import Tensor

from gantool.images import read_image
from gantool.predictions import table
from gantool.report import Table
from gantool.run import IMAGE_TREES, Run
from gantool_semisup.config import SemisupRun
from gantool_semisup.data import read_images
from gantool_semisup.digit_images import as_mnist, is_mnist_like
from gantool_semisup.trained import Model, load_ssl_gan, load_triple_gan, predict


def read_input(model: Model, path: Path, options: SemisupRun) -> tuple[Tensor, str | None]:
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


def predictions(model: Model, read: list[tuple[Path, tuple[Tensor, str | None]]],
                options: SemisupRun) -> Table:
    """The classes of the images read; the notes say which were converted."""
    paths = [path for path, _ in read]
    images, notices = zip(*(value for _, value in read), strict=True)
    return table(f"{model.task}: {model.path}", paths, model.classes,
                 predict(model, torch.cat(images)), [notice for notice in notices if notice])


run_ssl_gan = Run("ssl-gan", read_input, inputs=IMAGE_TREES, table=predictions,
                  load=lambda weights, options: load_ssl_gan(weights))
run_triple_gan = Run("triple-gan", read_input, inputs=IMAGE_TREES, table=predictions,
                     load=lambda weights, options: load_triple_gan(weights))
