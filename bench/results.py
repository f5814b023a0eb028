"""The committed results records of the real-data benches: one JSON line per scored run in
bench/results/<bench>.jsonl. README tables are rebuilt from these records, so a table grows one
seed or one method at a time, across sessions and machines, and outlives runs/.

A record: bench, task, method (the table row), options (what defines the row), seed, steps,
wall_seconds, hardware, metrics, weights_sha256, recorded (UTC); transcribed records also say
their source."""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from gantool.files import atomic_write_text
from readme_tables import hardware, machine, relative, shown

FOLDER = Path(__file__).resolve().parent / "results"
"""Where the records live; read at each call, so tests can point it at a temporary folder."""
WATCHING = frozenset({"seed", "device", "threads", "log_every", "eval_every", "checkpoint_every"})
"""Training options that say how a run is watched or where it runs, not what it learns: the seed
has its own field and the threads are in the hardware, so none of them splits a row."""
MARKS = "†‡§¶"


def path(bench: str) -> Path:
    return FOLDER / f"{bench}.jsonl"


def load(bench: str) -> list[dict]:
    """The bench's records in file order (none before its first record)."""
    file = path(bench)
    if not file.exists():
        return []
    return [json.loads(line) for line in file.read_text().splitlines() if line.strip()]


def _json_safe(value: object) -> object:
    """Paths as the README shows them (relative to the repository root), tuples as lists."""
    if isinstance(value, Path):
        return relative(value)
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    return value


def defining(options: dict) -> dict:
    """The options that define a row: the training options less WATCHING, JSON-safe."""
    return {k: _json_safe(v) for k, v in options.items() if k not in WATCHING}


def sha256(file: Path) -> str:
    with file.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _identity(record: dict) -> tuple:
    """What makes two records one measurement: the same weights scored for the same row and
    seed. Records without weights (a baseline, a transcribed figure) are told apart by row and
    seed alone."""
    return (record["bench"], record["method"], json.dumps(record["options"], sort_keys=True),
            record["seed"], record["weights_sha256"])


def trained_on(bench: str, weights: Path) -> dict | None:
    """The machine of the newest record of these weights (the one that trained them; see
    `append`), for a model card written on another machine; None where none is recorded."""
    digest = sha256(weights)
    kept = [r for r in load(bench) if r["weights_sha256"] == digest]
    return max(kept, key=lambda r: r["recorded"])["hardware"] if kept else None


def append(bench: str, *, task: str, method: str, options: dict, seed: int | None,
           steps: int | None, wall_seconds: float | None, metrics: dict[str, float | None],
           weights: Path | None) -> dict:
    """Record a scored run (a missing or nan metric as null). Scoring a kept run again replaces
    its record in place (the file is rewritten atomically and keeps its order), so rescoring
    never adds a line; the record keeps the machine of the training whose wall time it
    states, wherever the scoring ran."""
    record = {"bench": bench, "task": task, "method": method, "options": defining(options),
              "seed": seed, "steps": steps, "wall_seconds": wall_seconds,
              "hardware": machine(),
              "metrics": {k: None if v is None or math.isnan(v) else float(v)
                          for k, v in metrics.items()},
              "weights_sha256": None if weights is None else sha256(weights),
              "recorded": datetime.now(UTC).isoformat(timespec="seconds")}
    records = load(bench)
    same = next((i for i, r in enumerate(records) if _identity(r) == _identity(record)), None)
    if same is None:
        records.append(record)
    else:
        if wall_seconds is not None and records[same]["wall_seconds"] == wall_seconds:
            record["hardware"] = records[same]["hardware"]
        records[same] = record
    write(bench, records)
    return record


def write(bench: str, records: list[dict]) -> None:
    """The whole file, renamed into place: an interrupted bench never leaves half a record."""
    FOLDER.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path(bench), "".join(json.dumps(r, ensure_ascii=False, allow_nan=False)
                                          + "\n" for r in records))


def matches(record: dict, method: str, options: dict) -> bool:
    """Whether `record` is of the row `method` and holds every one of the defining `options`
    (a bench's table asks for the options of its invocation: budget, sizes, data)."""
    wanted = defining(options)
    return record["method"] == method and all(
        k in record["options"] and record["options"][k] == v for k, v in wanted.items())


@dataclass
class Row:
    """The records of one table row: the latest record of each seed, by seed."""

    records: list[dict]

    @property
    def seeds(self) -> int:
        return len(self.records)

    def values(self, metric: str) -> list[float]:
        """The metric of each seed (nan where a record lacks it)."""
        return [math.nan if r["metrics"].get(metric) is None else r["metrics"][metric]
                for r in self.records]

    def spread(self, metric: str, digits: int) -> str:
        """Mean ± std of the seeds that have the metric; one seed's value alone; none: –."""
        values = [v for v in self.values(metric) if v == v]
        if not values:
            return "–"
        if len(values) == 1:
            return f"{values[0]:.{digits}f}"
        return f"{statistics.mean(values):.{digits}f} ± {statistics.stdev(values):.{digits}f}"

    def wall_seconds(self) -> float:
        return statistics.mean(r["wall_seconds"] for r in self.records)

    def label(self, title: str, machines: Machines) -> str:
        """`title (n seeds)`, marked when a seed was measured on another machine."""
        return (f"{title} ({self.seeds} seed{'' if self.seeds == 1 else 's'})"
                f"{machines.mark(self.records)}")


def row(records: list[dict], method: str, options: dict) -> Row:
    """The row of `method` under `options`; a seed recorded twice (retrained after runs/ was
    lost, say) counts once, by its latest record."""
    latest: dict[int | None, dict] = {}
    for record in sorted((r for r in records if matches(r, method, options)),
                         key=lambda r: r["recorded"]):
        latest[record["seed"]] = record
    return Row(sorted(latest.values(), key=lambda r: -1 if r["seed"] is None else r["seed"]))


def variants(recorded: list[dict], args: argparse.Namespace, keys: tuple[str, ...]
             ) -> list[argparse.Namespace]:
    """This invocation's arguments once for each combination of the options `keys` that the
    records hold (the invocation's own first, the rest newest-looking first), so a table keeps
    the rows of every size or variant trained, not only the one asked for now. A path
    among the arguments is compared as records hold it, relative to the repository."""
    seen = [tuple(relative(v) if isinstance(v := getattr(args, k), Path) else v
                  for k in keys)]
    seen += sorted({tuple(r["options"][k] for k in keys) for r in recorded
                    if set(keys) <= r["options"].keys()} - set(seen), reverse=True)
    return [argparse.Namespace(**{**vars(args), **dict(zip(keys, value, strict=True))})
            for value in seen]


def rows_of(recorded: list[dict], methods: Iterable[str], options_of: Callable[[str], dict]
            ) -> tuple[dict[str, Row], list[str], Machines | None]:
    """A table's rows: each method's records under its options, the methods with none yet
    (for `pending`), and the machines of the rows' records (None when there are no rows)."""
    rows = {method: row(recorded, method, options_of(method)) for method in methods}
    missing = [method for method, kept in rows.items() if not kept.seeds]
    rows = {method: kept for method, kept in rows.items() if kept.seeds}
    measured = [record for kept in rows.values() for record in kept.records]
    return rows, missing, machines(measured) if measured else None


def _machine(record: dict) -> tuple[str, str | None]:
    return record["hardware"]["cpu"], record["hardware"]["gpu"]


@dataclass
class Machines:
    """The machine most of a table's records were measured on, and a mark for each other one,
    so figures from another cpu or gpu are flagged in their rows, never mixed silently."""

    usual: dict
    """The hardware of the first record measured on the usual machine."""
    others: dict[tuple[str, str | None], tuple[str, dict]]
    """Machine -> its mark and the hardware of its first record."""

    def mark(self, records: list[dict]) -> str:
        return "".join(dict.fromkeys(self.others[_machine(r)][0] for r in records
                                     if _machine(r) in self.others))

    def notes(self) -> list[str]:
        return [f"{mark} measured on {hardware(measured)}" for mark, measured
                in self.others.values()]


def machines(records: list[dict]) -> Machines:
    """The usual machine of `records` (at least one; a tie goes to the first in file order)
    and the others."""
    counts = Counter(_machine(r) for r in records)
    usual = counts.most_common(1)[0][0]
    first = {}
    for record in records:
        first.setdefault(_machine(record), record["hardware"])
    others = [key for key in first if key != usual]
    return Machines(first[usual], {key: (MARKS[i % len(MARKS)] * (i // len(MARKS) + 1),
                                         first[key]) for i, key in enumerate(others)})


def pending(bench: str, names: list[str]) -> str:
    """The line a table shows for rows with no record of its options yet."""
    return (f"Records pending for {', '.join(names)}: `{shown(path(bench))}` holds no run of "
            "these options yet.")
