"""Making a bench run a plugin's default model: the networks `gantool run` needs, copied out of
the run's weights, and the model card beside them, written from the run rather than typed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from gantool.checkpoint import load_weights, save_weights
from readme_tables import shown

SHIP_LIMIT = 10_000_000
"""Bytes a shipped weights file may hold."""
STATISTICS = ("running_mean", "running_var", "num_batches_tracked")
"""Batch-norm buffers: stored with the weights, but not parameters."""


@dataclass
class Shipped:
    path: Path
    config: dict
    """The run's training options, as its weights store them."""
    parameters: int
    """Learned numbers (batch-norm statistics are not counted)."""
    megabytes: float
    lineage: list[dict]
    """The training segments that made the weights (the trainer's `lineage` metadata)."""
    storage: str = "float32"
    """How the floating-point tensors are stored (loading casts them to the network's)."""

    @property
    def described(self) -> str:
        cast = "" if self.storage == "float32" else " (cast to float32 when loaded)"
        return f"{self.megabytes:.1f} MB {self.storage} safetensors{cast}"


def ship_networks(run: Path, target: Path, task: str, networks: list[str] | None = None,
                  missing: dict[str, str] | None = None, limit: int = SHIP_LIMIT,
                  calibration: dict[str, str] | None = None) -> Shipped:
    """Copy `networks` (default: all) of the run's weights to `target`; training devices such
    as critics and generators stay behind. `missing`: metadata that training records today but
    the run predates, added where the run's file lacks it; `calibration`: metadata the bench
    measured after training (a threshold chosen on validation data). Networks over `limit` bytes in
    float32 are stored in float16 (half the bytes, and loading casts them back; a network too
    large for that is refused)."""
    tensors, metadata = load_weights(run / "model.safetensors", task)
    metadata = {**(missing or {}), **metadata, **(calibration or {})}
    if networks is not None:
        prefixes = tuple(f"networks/{name}/" for name in networks)
        tensors = {k: v for k, v in tensors.items() if k.startswith(prefixes)}
        metadata = {**metadata, "networks": json.dumps(networks)}
    storage = "float32"
    if _bytes(tensors) > limit:
        tensors = {k: v.half() if v.is_floating_point() else v for k, v in tensors.items()}
        storage = "float16"
        if (size := _bytes(tensors)) > limit:
            raise SystemExit(f"--ship: {task}'s networks take {size / 1e6:.0f} MB even in "
                             f"float16, over the {limit / 1e6:.0f} MB a shipped model may "
                             "weigh; train a smaller one to ship it")
    target.parent.mkdir(exist_ok=True)
    save_weights(target, tensors, metadata)
    learned = [t for key, t in tensors.items() if not key.endswith(STATISTICS)]
    return Shipped(target, json.loads(metadata["config"]),
                   sum(t.numel() for t in learned), target.stat().st_size / 1e6,
                   json.loads(metadata.get("lineage", "[]")), storage)


def _bytes(tensors: dict) -> int:
    return sum(t.numel() * t.element_size() for t in tensors.values())


def chain(lineage: list[dict]) -> str:
    """The lineage as one table cell: each segment's steps, data and starting weights."""
    def one(number: int, part: dict) -> str:
        data = ", ".join(f"{key} `{shown(Path(value))}`" for key, value in part["data"].items())
        data = data or "no files"
        start = (f"from weights sha256 {part['started_from'][:12]}" if part["started_from"]
                 else "from a fresh initialisation")
        return f"{number}. {part['steps']:,} steps on {data}, {start}"
    return ("<br>".join(one(i, part) for i, part in enumerate(lineage, 1))
            or "one, from a fresh initialisation (the bench trains from scratch)")


def write_card(shipped: Shipped, summary: str, rows: list[tuple[str, str]], notes: list[str],
               command: str, card: str = "MODEL_CARD.md", ship: str = "--ship") -> None:
    """The card beside the weights (`card`: a plugin shipping several models names one per
    model): a summary, a table of facts, notes, and the command that trains, scores and ships
    the model again (`ship`: the bench's flag that ships, with its value where it takes one)."""
    rows = [*rows, ("training segments", chain(shipped.lineage))]
    lines = [f"# {shipped.path.name}", "", summary, "", "| | |", "| --- | --- |",
             *[f"| {key} | {value} |" for key, value in rows], ""]
    for note in notes:
        lines += [note, ""]
    lines += ["Command (it trains, resumes stopped runs, scores and ships):", "", "```bash",
              f"{command} {ship}", "```", ""]
    shipped.path.with_name(card).write_text("\n".join(lines))
