"""`gantool eval segan`: Dice, IoU, precision, sensitivity and HD95 on held-out pairs.

Each score is computed per image and per foreground class (see `metrics` for the empty-mask
conventions), then averaged over the images; a second model (`--baseline`) is scored on the
same pairs, one row each. Patient folders are scored as the field reports them: per patient,
its slices stacked into one volume, on the test patients of the run's split.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from gantool.errors import GantoolError
from gantool.report import Table
from gantool_segan.config import SeganEval
from gantool_segan.folders import Pair, load_pairs
from gantool_segan.inference import Model, load, logits, segment
from gantool_segan.metrics import NAMES, dice, largest_region, patient_scores, scores
from gantool_segan.patients import (
    Patient,
    is_patient_layout,
    load_patients,
    patient_names,
    read_split,
)

PATIENT_NAMES = (*NAMES, "slice_dice")


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


def score_patients(model: Model, patients: list[Patient], threshold: float | None = None,
                   largest: bool = False) -> dict[int, dict]:
    """{class: {metric: mean over patients}}: each patient's slices scored as one volume
    (`threshold`: the model's own where None; `largest`: its largest region only)."""
    per_class: dict[int, list[dict[str, float]]] = {k: [] for k in range(1, model.classes)}
    for patient in patients:
        for k, rows in per_class.items():
            rows.append(patient_scores(lambda image: segment(model, image, threshold),
                                       patient, k, largest))
    return {k: {name: float(np.nanmean([r[name] for r in rows])) for name in PATIENT_NAMES}
            for k, rows in per_class.items()}


CANDIDATES = tuple(round(0.1 * k, 1) for k in range(1, 10))
"""The thresholds `calibrate` tries."""


def calibrate(model: Model, patients: list[Patient], largest: bool = False
              ) -> tuple[float, float]:
    """The threshold of a binary model with the best mean per-patient Dice on `patients` (the
    validation patients: never the test ones), and that Dice; the nearest to 0.5 of equals.
    Each slice's logits are computed once."""
    if model.classes != 2:
        raise GantoolError(f"{model.path} segments {model.classes} classes; only a binary "
                           "model has a threshold to calibrate")
    volumes = [(np.stack([torch.sigmoid(logits(model, s.image))[0, 0].numpy()
                          for s in p.slices]),
                np.stack([s.labels > 0 for s in p.slices])) for p in patients]

    def mean_dice(threshold: float) -> float:
        return float(np.mean([dice(largest_region(p > threshold) if largest else p > threshold,
                                   truth) for p, truth in volumes]))

    tried = {t: mean_dice(t) for t in CANDIDATES}
    best = max(CANDIDATES, key=lambda t: (tried[t], -abs(t - 0.5)))
    return best, tried[best]


def evaluate_patients(options: SeganEval, models: list[Model]) -> list[Table]:
    """Patient folders: the run's test patients (or --split), scored per patient."""
    names = (patient_names(options.images, options.masks) if options.split == "all"
             else read_split(models[0].path)[options.split])
    patients = load_patients(options.images, options.masks, names)
    rows = [[f"{model.method}: {_short(model.path)}", k,
             *[round(means[name], 4) for name in PATIENT_NAMES]]
            for model in models for k, means in score_patients(
                model, patients, options.threshold, options.largest_region).items()]
    slices = sum(len(p.slices) for p in patients)
    return [Table(f"segan: {options.images} ({options.split} patients)",
                  ["model", "class", "patient Dice", "IoU", "precision", "sensitivity",
                   "HD95 px", "slice Dice (tumour slices)"], rows,
                  notes=[f"{len(patients)} patients, {slices} slices; each patient's slices "
                         "stacked into one volume"
                         + (", only its largest predicted region kept" if options.largest_region
                            else "") + ", and scored (means over patients); empty "
                         "masks: both empty = 1 (HD95 0), one empty = 0 (HD95 = the volume's "
                         "diagonal); slice Dice: mean over the slices whose truth has tumour"])]


def evaluate(options: SeganEval) -> list[Table]:
    models = [load(options.weights)]
    if options.baseline is not None:
        models.append(load(options.baseline))
    if is_patient_layout(options.images):
        return evaluate_patients(options, models)
    pairs = load_pairs(options.images, options.masks)
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
