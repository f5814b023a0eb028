"""`gantool run`: the predicted class and its probability for each input image."""

from __future__ import annotations

import csv
import glob
import json
from pathlib import Path

from gantool.errors import GantoolError
from gantool.files import atomic_path, check_output_path
from gantool.report import Table
from gantool_semisup.config import SemisupRun
from gantool_semisup.data import SUFFIXES, image_files, read_images
from gantool_semisup.evaluation import predict
from gantool_semisup.weights import load_model


def input_files(pattern: str) -> list[Path]:
    """A file, the images in a folder (recursively) or a glob."""
    path = Path(pattern)
    if path.is_file():
        return [path]
    files = image_files(path) if path.is_dir() else sorted(
        Path(p) for p in glob.glob(pattern, recursive=True)
        if Path(p).suffix.lower() in SUFFIXES)
    if not files:
        raise GantoolError(f"--input {pattern} matches no images ({', '.join(SUFFIXES)})")
    return files


def run(options: SemisupRun) -> list[Path]:
    """Print the predictions (table or JSON); also write them to --output (.json or .csv)."""
    if options.output is not None:
        check_output_path(options.output)
    files = input_files(options.input)
    model = load_model(options.weights)
    probability, label = predict(model, read_images(files, model.shape)).max(1)
    rows = [{"file": str(path), "class": model.classes[index], "probability": round(p, 4)}
            for path, index, p in zip(files, label.tolist(), probability.tolist(), strict=True)]
    if options.json:
        print(json.dumps(rows, indent=2))
    else:
        Table(f"{model.task}: {options.weights}", ["file", "class", "probability"],
              [list(row.values()) for row in rows]).show()
    if options.output is None:
        return []
    with atomic_path(options.output) as tmp, open(tmp, "w", newline="") as handle:
        if options.output.suffix.lower() == ".json":
            json.dump(rows, handle, indent=2)
        else:
            writer = csv.DictWriter(handle, ["file", "class", "probability"])
            writer.writeheader()
            writer.writerows(rows)
    return [options.output]
