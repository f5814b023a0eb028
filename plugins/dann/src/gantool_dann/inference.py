"""`gantool run dann`: classify the user's images with a trained model, one CSV row each."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from gantool.files import atomic_path, input_files
from gantool.images import read_image
from gantool.models import load_model
from gantool.outputs import SomeInputsFailed, check_outputs, each_input
from gantool.train.devices import device_of
from gantool_dann.config import DannConfig, DannRun
from gantool_dann.folders import Domain, conform, stack
from gantool_dann.models import classify
from gantool_dann.plugin import TASK

REPORT = "predictions.csv"


@dataclass
class Model:
    """An exported model and the input format it was trained on."""

    networks: dict[str, nn.Module]
    classes: list[str]
    image_size: int
    channels: int
    config: DannConfig


def load(path: Path) -> Model:
    """The feature extractor and label classifier of `path`, in eval mode, on the CPU."""
    loaded = load_model(path, TASK)
    return Model(loaded.networks, json.loads(loaded.metadata["classes"]),
                 int(loaded.metadata["image_size"]), int(loaded.metadata["channels"]),
                 loaded.config)


@torch.no_grad()
def predict(model: Model, images: torch.Tensor, batch: int = 256) -> torch.Tensor:
    """Class probabilities of N x C x H x W images, on the CPU."""
    device = device_of(model.networks["features"])
    return torch.cat([classify(model.networks, x.to(device)).softmax(1).cpu()
                      for x in images.split(batch)])


def plan(options: DannRun, files: list[Path]) -> Path:
    """The CSV path (default: predictions.csv in the input folder), refused before any work if
    it would replace an input, the weights or, without --overwrite, an existing file."""
    source = Path(options.input)
    output = options.output or (source if source.is_dir() else source.parent) / REPORT
    if output.is_dir():
        output = output / REPORT
    check_outputs([output], inputs=files, overwrite=options.overwrite,
                  protected=[options.weights])
    return output


def write_rows(output: Path, model: Model, read: list[tuple[Path, np.ndarray]],
               source: Path) -> None:
    """One row (file, class, confidence) per image read, each resized to the model's input."""
    paths = [path for path, _ in read]
    images = stack(paths, [pixels for _, pixels in read], model.image_size)
    domain = conform(Domain(images, None, [], source), model.image_size, model.channels)
    confidence, label = predict(model, domain.images).max(1)
    with atomic_path(output) as tmp, open(tmp, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "class", "confidence"])
        for path, index, p in zip(paths, label.tolist(), confidence.tolist(), strict=True):
            writer.writerow([str(path), model.classes[index], f"{p:.4f}"])


def run(options: DannRun) -> list[Path]:
    """Images that cannot be read are listed and left out of the CSV, which holds the others;
    the command then exits non-zero."""
    files = input_files(options.input, recursive=True)
    output = plan(options, files)
    model = load(options.weights)
    failed: SomeInputsFailed | None = None
    try:
        read = each_input(files, lambda path: (path, read_image(path)))
    except SomeInputsFailed as exc:
        if not exc.done:
            raise
        read, failed = exc.done, exc
    write_rows(output, model, read, Path(options.input))
    if failed is not None:
        raise SomeInputsFailed(str(failed), [output])
    return [output]
