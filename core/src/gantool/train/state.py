"""What a checkpoint holds besides tensors: position, optimizer and RNG states, and the
config, in one codec so saving and restoring cannot drift apart.

Random-number state is per process: each rank saves its own CPU, NumPy and Python generators,
and the generator of the one CUDA device it trains on (only when it trains on one), so a
checkpoint resumes on a machine with another number of GPUs.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch


def seed_everything(seed: int) -> None:
    """Seed Python, NumPy and torch (call before building networks for a reproducible init)."""
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def capture_rng(device: torch.device) -> dict[str, Any]:
    kind, keys, pos, has_gauss, cached = np.random.get_state()
    version, internal, gauss = random.getstate()
    state = {
        "torch": torch.get_rng_state(),
        "numpy": [kind, torch.from_numpy(keys.astype(np.int64)), pos, has_gauss, cached],
        "python": [version, list(internal), gauss],
    }
    if device.type == "cuda":
        state["cuda"] = torch.cuda.get_rng_state(device)
    return state


def restore_rng(state: dict[str, Any], device: torch.device) -> None:
    torch.set_rng_state(state["torch"])
    kind, keys, pos, has_gauss, cached = state["numpy"]
    np.random.set_state((kind, keys.numpy().astype(np.uint32), pos, has_gauss, cached))
    version, internal, gauss = state["python"]
    random.setstate((version, tuple(internal), gauss))
    if device.type == "cuda" and isinstance(state.get("cuda"), torch.Tensor):
        torch.cuda.set_rng_state(state["cuda"], device)


@dataclass
class TrainingState:
    """Everything but the tensors that a resumed run needs to continue exactly."""

    task: str
    version: str
    step: int
    stream: dict[str, int]
    optimizers: dict[str, Any]
    rng: list[dict[str, Any]]
    """One RNG state per process, in rank order."""
    config: dict[str, Any]
    metrics: dict[str, float] = field(default_factory=dict)
    scalers: dict[str, Any] = field(default_factory=dict)
    """fp16 loss scalers, per player."""
    lineage: list[dict[str, Any]] = field(default_factory=list)
    """The training segments before this run's (`warm_start`): empty for a fresh start."""
    started_from: str | None = None
    """sha256 of the weights file a warm start loaded."""

    def encode(self) -> dict[str, Any]:
        """A dict `torch.save` writes and `torch.load(weights_only=True)` reads back."""
        return {"task": self.task, "gantool": self.version, "step": self.step,
                "stream": dict(self.stream), "optimizers": self.optimizers, "rng": self.rng,
                "scalers": self.scalers, "config": json.dumps(self.config),
                "metrics": json.dumps(self.metrics), "lineage": json.dumps(self.lineage),
                "started_from": self.started_from or ""}

    @classmethod
    def decode(cls, raw: dict[str, Any]) -> TrainingState:
        rng = raw["rng"]
        return cls(task=raw.get("task", ""), version=raw.get("gantool", "?"), step=raw["step"],
                   stream=dict(raw["stream"]), optimizers=raw["optimizers"],
                   rng=rng if isinstance(rng, list) else [rng],  # older: one process's
                   config=json.loads(raw["config"]), metrics=json.loads(raw["metrics"]),
                   scalers=raw.get("scalers", {}),
                   lineage=json.loads(raw.get("lineage", "[]")),
                   started_from=raw.get("started_from") or None)
