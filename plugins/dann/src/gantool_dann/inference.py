"""`gantool run dann`: classify the user's images with a trained model, one CSV row each."""

from __future__ import annotations

import csv
import glob
from pathlib import Path

import torch

from gantool.errors import GantoolError
from gantool.files import atomic_path, check_output_path
from gantool_dann.config import DannRun
from gantool_dann.folders import SUFFIXES, conform, load_images
from gantool_dann.models import classify
from gantool_dann.weights import load_model


def input_files(pattern: str) -> list[Path]:
    """A file, the images in a folder (recursively, so class folders work) or a glob."""
    path = Path(pattern)
    if path.is_file():
        return [path]
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES)
    else:
        files = sorted(Path(p) for p in glob.glob(pattern, recursive=True)
                       if Path(p).suffix.lower() in SUFFIXES)
    if not files:
        raise GantoolError(f"--input {pattern} matches no images ({', '.join(SUFFIXES)})")
    return files


def run_files(options: DannRun) -> list[Path]:
    files = input_files(options.input)
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
