"""Scans grouped by patient, split by patient, never by slice.

The layout is `images/<patient>/*.png` with `masks/<patient>/*.png` of the same names (as the
LGG FLAIR set ships). Neighbouring slices of one patient are near-copies, so a split by slice
would score a model on the patients it trained on; the split draws whole patients from the
run's seed and is saved with the run (`split.json`), so evaluation reads the same test
patients.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gantool.errors import GantoolError
from gantool.files import atomic_write_text
from gantool_segan.folders import SUFFIXES, Pair, load_pairs

SPLIT_FILE = "split.json"
PARTS = ("train", "val", "test")


@dataclass
class Patient:
    name: str
    slices: list[Pair]
    """In slice order (the number at the end of the file name), so they stack into a volume."""


def is_patient_layout(images: Path) -> bool:
    """Whether `images` holds one folder per patient rather than the images themselves."""
    images = Path(images)
    return images.is_dir() and any(p.is_dir() for p in images.iterdir())


def patient_names(images: Path, masks: Path) -> list[str]:
    """The patient folders of `images`, each with its mask folder, none empty."""
    names = sorted(p.name for p in Path(images).iterdir() if p.is_dir())
    for name in names:
        if not any(f.suffix.lower() in SUFFIXES for f in (Path(images) / name).iterdir()):
            raise GantoolError(f"patient folder {Path(images) / name} holds no images; remove "
                               "it or add the patient's slices")
        if not (Path(masks) / name).is_dir():
            raise GantoolError(f"patient {name} has no mask folder {Path(masks) / name}; masks "
                               "go in masks/<patient>/ with the image names")
    return names


def split_patients(names: list[str], seed: int, val: float, test: float
                   ) -> dict[str, list[str]]:
    """Whole patients drawn into train/val/test from `seed` (at least one patient each)."""
    if len(names) < 3:
        raise GantoolError(f"{len(names)} patient folder(s); a split by patient needs at "
                           "least 3 (train, val, test)")
    order = [str(n) for n in np.random.default_rng(seed).permutation(sorted(names))]
    n_test = max(1, round(test * len(names)))
    n_val = max(1, round(val * len(names)))
    if n_test + n_val >= len(names):
        raise GantoolError(f"--val-fraction {val} and --test-fraction {test} leave no training "
                           f"patient of {len(names)}; lower them")
    return {"test": sorted(order[:n_test]), "val": sorted(order[n_test:n_test + n_val]),
            "train": sorted(order[n_test + n_val:])}


def slice_number(pair: Pair) -> tuple[int, str]:
    digits = re.findall(r"\d+", pair.name)
    return (int(digits[-1]) if digits else 0, pair.name)


def load_patients(images: Path, masks: Path, names: list[str]) -> list[Patient]:
    return [Patient(name, sorted(load_pairs(Path(images) / name, Path(masks) / name),
                                 key=slice_number)) for name in names]


def write_split(out_dir: Path, split: dict[str, list[str]], seed: int) -> None:
    atomic_write_text(Path(out_dir) / SPLIT_FILE, json.dumps({"seed": seed, **split}, indent=2))


def read_split(weights: Path) -> dict[str, list[str]]:
    """The split saved beside a run's weights."""
    path = Path(weights).with_name(SPLIT_FILE)
    if not path.is_file():
        raise GantoolError(f"no {SPLIT_FILE} beside {weights}: the model was not trained on "
                           "patient folders; pass --split all to score every patient")
    saved = json.loads(path.read_text())
    return {part: saved[part] for part in PARTS}
