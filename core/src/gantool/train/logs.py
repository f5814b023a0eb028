"""Run records: JSON-lines logs (always written) and the loss-curve PNG drawn from them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gantool.files import atomic_write_text


class JsonlLog:
    """Append-only JSON-lines log; on resume, records past the checkpoint are dropped.

    A kill can tear the last line in half; reading skips lines that are not whole records, so
    such a log never stops a resume.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def truncate_after(self, step: int) -> None:
        if not self.path.exists():
            return
        kept = [r for r in self.records() if r.get("step", 0) <= step]
        atomic_write_text(self.path, "".join(json.dumps(r) + "\n" for r in kept))

    def write(self, record: dict[str, Any]) -> None:
        with open(self.path, "a") as handle:
            handle.write(json.dumps(record) + "\n")

    def records(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        records = []
        for line in self.path.read_text(errors="replace").splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict):
                records.append(record)
        return records


def plot_losses(records: list[dict[str, Any]], path: Path) -> None:
    """One panel per player's losses, one for evaluation metrics, x = step."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    train = [r for r in records if r.get("event") == "train"]
    evals = [r for r in records if r.get("event") == "eval"]
    keys = sorted({k for r in train for k in r if "/" in k})
    players = sorted({k.split("/")[0] for k in keys})
    metric_keys = sorted({k for r in evals for k in r if k not in ("event", "step", "time")})
    panels = len(players) + (1 if metric_keys else 0)
    if panels == 0:
        return
    fig, axes = plt.subplots(1, panels, figsize=(4.5 * panels, 3.2), squeeze=False)
    for ax, player in zip(axes[0], players, strict=False):
        for key in (k for k in keys if k.startswith(player + "/")):
            points = [(r["step"], r[key]) for r in train if key in r]
            ax.plot(*zip(*points, strict=True), label=key.split("/", 1)[1], linewidth=1)
        ax.set_title(player)
        ax.set_xlabel("step")
        ax.legend(fontsize=7)
    if metric_keys:
        ax = axes[0][-1]
        for key in metric_keys:
            points = [(r["step"], r[key]) for r in evals if isinstance(r.get(key), int | float)]
            if points:
                ax.plot(*zip(*points, strict=True), marker="o", label=key, linewidth=1)
        ax.set_title("evaluation")
        ax.set_xlabel("step")
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
