"""`gantool run`: the predicted class and its probability for each input image."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from gantool.files import atomic_path, check_output_path, input_files
from gantool.report import Table
from gantool_semisup.config import SemisupRun
from gantool_semisup.data import read_images
from gantool_semisup.evaluation import predict
from gantool_semisup.weights import load_model


def run(options: SemisupRun) -> list[Path]:
    """Print the predictions (table or JSON); also write them to --output (.json or .csv)."""
    if options.output is not None:
        check_output_path(options.output)
    files = input_files(options.input, recursive=True)
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
