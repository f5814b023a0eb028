"""What `gantool run` of a classifier reports: the class and its probability for each image.

One shape for every classifying task, so scripts read them alike: a table the CLI shows (one
JSON object per image with `--json`) and, with `--output`, the same rows as a .json or .csv
file, which `gantool.run` checks before any work and writes atomically.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path

from gantool.errors import GantoolError
from gantool.files import atomic_path
from gantool.outputs import check_outputs
from gantool.report import Table

COLUMNS = ["file", "class", "probability"]
SUFFIXES = (".json", ".csv")


def check_report(output: Path, inputs: Sequence[Path], *, overwrite: bool,
                 protected: Sequence[Path]) -> None:
    """Refuse an --output that would lose data (an input, the weights, an existing file
    without --overwrite) or that is no report a classifier writes."""
    check_outputs([output], inputs=inputs, overwrite=overwrite, protected=protected)
    if output.suffix.lower() not in SUFFIXES:
        raise GantoolError(f"--output {output} must end in .json or .csv")


def table(title: str, paths: Sequence[Path], classes: Sequence[str], probabilities: object,
          notes: Sequence[str] = ()) -> Table:
    """The most probable class of each image (`probabilities`: an N x K tensor) and its
    probability, one row per image."""
    probability, label = probabilities.max(1)
    rows = [[str(path), classes[index], round(p, 4)]
            for path, index, p in zip(paths, label.tolist(), probability.tolist(), strict=True)]
    return Table(title, COLUMNS, rows, notes=list(notes))


def write(shown: Table, path: Path) -> None:
    """The table's rows as a .json list of objects or a .csv file, atomically: an interrupted
    run leaves no partial report."""
    with atomic_path(path) as tmp, open(tmp, "w", newline="") as handle:
        if path.suffix.lower() == ".json":
            json.dump([dict(zip(shown.columns, row, strict=True)) for row in shown.rows],
                      handle, indent=2)
        else:
            writer = csv.writer(handle)
            writer.writerow(shown.columns)
            writer.writerows(shown.rows)
