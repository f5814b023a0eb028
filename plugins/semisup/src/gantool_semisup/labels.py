"""The labelled subset: balanced per class, drawn from the seed, saved with the run."""

from __future__ import annotations

import json
from pathlib import Path

import torch
from torch import Tensor

from gantool.errors import GantoolError
from gantool.files import atomic_write_text
from gantool_semisup.config import SemisupConfig
from gantool_semisup.data import Images

RECORD = "labelled.json"


def balanced_subset(labels: Tensor, classes: tuple[str, ...], n: int, seed: int) -> Tensor:
    """Indices of `n` images, n // K per class, drawn from the seed (the papers' protocol: 10
    per class for 100 MNIST labels). Sorted, so the subset is the same set whatever the draw
    order."""
    k = len(classes)
    if n < k or n % k:
        raise GantoolError(f"--labels {n} does not split evenly over the {k} classes; give a "
                           f"multiple of {k} (for example --labels {max(k, n - n % k)})")
    if n > len(labels):
        raise GantoolError(f"--labels {n} is more than the {len(labels)} labelled training "
                           "images; lower --labels")
    generator = torch.Generator().manual_seed(seed)
    chosen = []
    for index in range(k):
        members = (labels == index).nonzero().flatten()
        if n // k > len(members):
            raise GantoolError(
                f"--labels {n} needs {n // k} labelled images of class {classes[index]!r}, "
                f"which has only {len(members)}; lower --labels")
        chosen.append(members[torch.randperm(len(members), generator=generator)[: n // k]])
    return torch.cat(chosen).sort().values


def write_labelled(out_dir: Path, config: SemisupConfig, train: Images, chosen: Tensor) -> None:
    """Write the names of the labelled images, per class, to OUT/labelled.json (the game's
    `on_start`, so a run's record always matches the subset it trains on)."""
    assert train.labels is not None
    per_class: dict[str, list[str]] = {name: [] for name in train.classes}
    for index in chosen.tolist():
        per_class[train.classes[int(train.labels[index])]].append(train.names[index])
    record = {"data": str(config.data), "seed": config.seed, "labels": config.labels,
              "per_class": per_class}
    atomic_write_text(Path(out_dir) / RECORD, json.dumps(record, indent=2))
