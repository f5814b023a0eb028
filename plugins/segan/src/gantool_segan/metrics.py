"""Overlap and boundary metrics of a predicted mask against the truth (boolean arrays of any
dimension: one slice, or a patient's slices stacked into a volume).

Empty masks: when both are empty every overlap ratio (Dice, IoU, precision, sensitivity) is 1
and HD95 is 0; when exactly one is empty the ratios are 0 (a missed lesion or a lesion
invented on a clean scan scores nothing) and HD95 is the image diagonal, the largest distance
possible. So no ratio is ever 0/0 and means over images stay defined.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from scipy.ndimage import binary_erosion, distance_transform_edt
from scipy.ndimage import label as connected_regions

if TYPE_CHECKING:
    from gantool_segan.patients import Patient

NAMES = ("dice", "iou", "precision", "sensitivity", "hd95")
"""Per-patient metrics, and `slice_dice`: the mean Dice of the slices that hold tumour."""


def _ratio(numerator: int, denominator: int, both_empty: bool) -> float:
    if denominator == 0:
        return 1.0 if both_empty else 0.0
    return numerator / denominator


def _boundary(mask: np.ndarray) -> np.ndarray:
    return mask & ~binary_erosion(mask, border_value=0)


def hd95(predicted: np.ndarray, truth: np.ndarray) -> float:
    """95th percentile of the symmetric boundary-to-boundary distances (pixels)."""
    if not predicted.any() and not truth.any():
        return 0.0
    if not predicted.any() or not truth.any():
        return math.hypot(*truth.shape)
    a, b = _boundary(predicted), _boundary(truth)
    to_b = distance_transform_edt(~b)[a]
    to_a = distance_transform_edt(~a)[b]
    return float(np.percentile(np.concatenate([to_b, to_a]), 95))


def dice(predicted: np.ndarray, truth: np.ndarray) -> float:
    """Dice alone (no HD95 to pay for), with `scores`' empty-mask convention."""
    n_pred, n_true = int(predicted.sum()), int(truth.sum())
    return _ratio(2 * int((predicted & truth).sum()), n_pred + n_true, n_pred + n_true == 0)


def scores(predicted: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    """Dice, IoU, precision, sensitivity and HD95 of boolean masks of one shape."""
    tp = int((predicted & truth).sum())
    n_pred, n_true = int(predicted.sum()), int(truth.sum())
    both_empty = n_pred == 0 and n_true == 0
    return {"dice": _ratio(2 * tp, n_pred + n_true, both_empty),
            "iou": _ratio(tp, n_pred + n_true - tp, both_empty),
            "precision": _ratio(tp, n_pred, both_empty),
            "sensitivity": _ratio(tp, n_true, both_empty),
            "hd95": hd95(predicted, truth)}


def largest_region(mask: np.ndarray) -> np.ndarray:
    """Only the largest connected region of a mask (faces touching, in every dimension): a
    low-grade glioma is one mass, so smaller regions are false alarms (the post-processing of
    Buda et al. 2019's reference code)."""
    regions, count = connected_regions(mask)
    if count < 2:
        return mask
    return regions == 1 + int(np.argmax(np.bincount(regions.ravel())[1:]))


def patient_scores(segment: Callable[[np.ndarray], np.ndarray], patient: Patient,
                   label: int = 1, largest: bool = False) -> dict[str, float]:
    """The metrics of one patient's volume (slices stacked; HD95 in pixels, one slice apart
    counted as one pixel), and `slice_dice`, the mean Dice of its slices with `label` in the
    truth (nan when none has: a patient without tumour has no such slice). `largest` keeps
    only the volume's largest predicted region."""
    predicted = np.stack([segment(s.image) == label for s in patient.slices])
    predicted = largest_region(predicted) if largest else predicted
    truth = np.stack([s.labels == label for s in patient.slices])
    result = scores(predicted, truth)
    with_label = [scores(p, t)["dice"] for p, t in zip(predicted, truth, strict=True) if t.any()]
    result["slice_dice"] = float(np.mean(with_label)) if with_label else math.nan
    return result

