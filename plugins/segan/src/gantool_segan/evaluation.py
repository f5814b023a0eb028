"""`gantool eval segan`: Dice, IoU, precision, sensitivity and HD95 on held-out pairs.

Each score is computed per image and per foreground class (see `metrics` for the empty-mask
conventions), then averaged over the images; a second model (`--baseline`) is scored on the
same pairs, one row each.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from gantool.errors import GantoolError
from gantool.report import Table
from gantool_segan.config import SeganEval
from gantool_segan.folders import Pair, load_pairs
from gantool_segan.inference import Model, load, segment
from gantool_segan.metrics import NAMES, scores


def score_model(model: Model, pairs: list[Pair], threshold: float = 0.5) -> dict[int, dict]:
    """{class: {metric: mean over images}} for every foreground class."""
    highest = max(int(p.labels.max()) for p in pairs)
    if highest >= model.classes:
        raise GantoolError(f"the masks hold label {highest} but {model.path} segments "
                           f"{model.classes} classes (0..{model.classes - 1}); evaluate on "
                           "masks of the task it was trained for")
    per_class: dict[int, list[dict[str, float]]] = {k: [] for k in range(1, model.classes)}
    for pair in pairs:
        predicted = segment(model, pair.image, threshold)
        for k, rows in per_class.items():
            rows.append(scores(predicted == k, pair.labels == k))
    return {k: {name: float(np.mean([r[name] for r in rows])) for name in NAMES}
            for k, rows in per_class.items()}


def _short(path: Path) -> str:
    """The weights file with its folder (runs are told apart by their folder)."""
    path = Path(path)
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


def evaluate(options: SeganEval) -> list[Table]:
    pairs = load_pairs(options.images, options.masks)
    models = [load(options.weights)]
    if options.baseline is not None:
        models.append(load(options.baseline))
    rows = []
    for model in models:
        for k, means in score_model(model, pairs, options.threshold).items():
            rows.append([f"{model.method}: {_short(model.path)}", k,
                         *[round(means[name], 4) for name in NAMES]])
    return [Table(f"segan: {options.images}", ["model", "class", "Dice", "IoU", "precision",
                                               "sensitivity", "HD95 px"], rows,
                  notes=[f"{len(pairs)} image/mask pairs; per-image scores averaged; empty "
                         "masks: both empty = 1 (HD95 0), one empty = 0 (HD95 = image "
                         "diagonal)"])]
