"""`gantool run dann`: classify the user's images with a trained model, one CSV row each."""

from __future__ import annotations

import csv
from pathlib import Path

import torch

from gantool.files import atomic_path, check_output_path, input_files
from gantool_dann.config import DannRun
from gantool_dann.folders import conform, load_images
from gantool_dann.models import classify
from gantool_dann.weights import load_model


def run_files(options: DannRun) -> list[Path]:
    files = input_files(options.input, recursive=True)
    source = Path(options.input)
    output = options.output or (source if source.is_dir() else source.parent) / \
        "predictions.csv"
    check_output_path(output)
    model = load_model(options.weights)
    domain = conform(load_images(files, source, model.image_size), model.image_size,
                     model.channels)
    with torch.no_grad():
        logits = torch.cat([classify(model.networks, x) for x in domain.images.split(256)])
    confidence, label = logits.softmax(1).max(1)
    with atomic_path(output) as tmp, open(tmp, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "class", "confidence"])
        for path, index, p in zip(files, label.tolist(), confidence.tolist(), strict=True):
            writer.writerow([str(path), model.classes[index], f"{p:.4f}"])
    return [output]
