"""The same CPU workloads under two torch builds: did moving torch make anything slower?

Each build is a Python environment with the workspace installed (`--python` twice, the
baseline first). A child process per build and round measures, on one thread: the shipped
super-resolution model's 256x256 forward (fp32, and bf16 autocast where the CPU has native bf16),
and training steps per second of each task's default networks at its default batch size on the
task's smoke data. The builds take turns, round by round (A B A B ...), so a drift in the
machine's load falls on both alike; each figure is the median over rounds.

Each (workload, torch version) median is recorded in bench/results/torch-builds.jsonl and the
table is rebuilt from the records. Usage:

    uv run python bench/torch_builds.py --python OLD_ENV/bin/python --python .venv/bin/python
                                        [--rounds 3]

Writes the docs section `bench:torch-builds`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import results
from readme_tables import hardware, write_section

BENCH = "torch-builds"
TRAINED = {"superres": (("data",), 6), "pix2pix": (("data",), 20),
           "cyclegan": (("data",), 10), "dann": (("source", "target"), 200),
           "segan": (("images", "masks"), 40), "vawgan": (("data",), 200)}
"""The timed tasks, with the smoke options they keep (the data) and their timed steps (a few
seconds each): everything else is the task's default, so the networks timed are the ones a user
trains."""
FORWARDS = ("superres forward 256x256, fp32", "superres forward 256x256, bf16 autocast")


def superres_forwards(repeats: int) -> dict[str, float]:
    """Median milliseconds of the shipped model's forward, the variants taking turns."""
    import torch

    from gantool_superres.engines import native_bf16
    from gantool_superres.torch_engine import make_forward
    from gantool_superres.weights import DEFAULT_MODEL, SHIPPED, load_generator

    variants = {FORWARDS[0]: make_forward(load_generator(SHIPPED[DEFAULT_MODEL], 4))}
    if native_bf16():
        variants[FORWARDS[1]] = make_forward(load_generator(SHIPPED[DEFAULT_MODEL], 4),
                                             bf16=True)
    x = torch.rand(1, 3, 256, 256, generator=torch.Generator().manual_seed(0))
    times: dict[str, list[float]] = {name: [] for name in variants}
    for forward in variants.values():
        forward(x)
    for _ in range(repeats):
        for name, forward in variants.items():
            start = time.perf_counter()
            forward(x)
            times[name].append(time.perf_counter() - start)
    return {name: 1000 * statistics.median(t) for name, t in times.items()}


def training_steps(root: Path) -> dict[str, float]:
    """Steps per second of each timed task (a failure is reported, not hidden)."""
    from gantool.config import fields_of
    from gantool.plugins import load_plugins
    from gpu_smoke import steps_per_second

    speeds = {}
    for spec in load_plugins().tasks:
        if spec.name not in TRAINED:
            continue
        keep, steps = TRAINED[spec.name]
        batch = fields_of(spec.train.options_class())["batch_size"].default  # type: ignore
        name = f"{spec.name} training, batch {batch}"
        try:
            speeds[name], _ = steps_per_second(spec, "cpu", steps + 2, root / spec.name,
                                               batch=batch, keep=keep)
        except Exception as exc:  # noqa: BLE001 - every task is tried and reported
            print(f"{name}: {type(exc).__name__}: {exc}".splitlines()[0], file=sys.stderr)
    return speeds


def child(out: Path, repeats: int) -> None:
    """One build's measurements, as JSON in `out`."""
    import torch

    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as tmp:
        figures = {"torch": torch.__version__, "ms": superres_forwards(repeats),
                   "steps_per_second": training_steps(Path(tmp))}
    out.write_text(json.dumps(figures))


def measure(pythons: list[str], rounds: int, repeats: int) -> list[dict]:
    """Each build's figures of every round, builds alternating within a round."""
    measured: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(rounds):
            for i, python in enumerate(pythons):
                out = Path(tmp) / f"{r}-{i}.json"
                print(f"round {r + 1}/{rounds}: {python}", file=sys.stderr)
                subprocess.run([python, __file__, "--child", str(out), "--repeats",
                                str(repeats)], check=True)
                measured.append(json.loads(out.read_text()))
    return measured


def record(measured: list[dict], rounds: int) -> None:
    """A record per (workload, torch version): the median over rounds."""
    for version in dict.fromkeys(m["torch"] for m in measured):
        runs = [m for m in measured if m["torch"] == version]
        for unit in ("ms", "steps_per_second"):
            for workload in runs[0][unit]:
                values = [m[unit][workload] for m in runs if workload in m[unit]]
                results.append(BENCH, task="-", method=workload,
                               options={"torch": version, "threads": 1, "rounds": rounds},
                               seed=None, steps=None, wall_seconds=None,
                               metrics={unit: round(statistics.median(values), 3)},
                               weights=None)


def table(recorded: list[dict], versions: list[str]) -> str:
    """Workloads as rows, the builds as columns, and the new build's speed against the old."""
    old, new = versions
    figure = {(r["options"]["torch"], r["method"]): r["metrics"] for r in recorded}
    workloads = list(dict.fromkeys(r["method"] for r in recorded))
    lines = [f"| workload | torch {old} | torch {new} | speed, {new} vs {old} |",
             "|---|---|---|---|"]
    for workload in workloads:
        a, b = figure.get((old, workload)), figure.get((new, workload))
        if a is None or b is None:
            continue
        unit = next(iter(a))
        speed = a[unit] / b[unit] if unit == "ms" else b[unit] / a[unit]
        shown = (lambda v: f"{v:.1f} ms") if unit == "ms" else (lambda v: f"{v:.2f} steps/s")
        lines.append(f"| {workload} | {shown(a[unit])} | {shown(b[unit])} | {speed:.2f}x |")
    machine = recorded[-1]["hardware"]
    return "\n".join([
        f"Measured on {hardware(machine).split(', torch')[0]}, one thread, by "
        "`uv run python bench/torch_builds.py --python OLD_ENV/bin/python --python "
        ".venv/bin/python`: each figure is the median of "
        f"{recorded[-1]['options']['rounds']} rounds, the builds taking turns; a speed above "
        f"1 means torch {new} is the faster. Training steps use each task's default networks "
        "and batch size on its small smoke data.", "", *lines]) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", action="append", default=[],
                        help="a build's interpreter; give two, the baseline first")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=10, help="timed forwards per round")
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child, args.repeats)
        return
    if len(args.python) != 2:
        parser.error("give --python twice: the baseline build's interpreter, then the new one")
    measured = measure(args.python, args.rounds, args.repeats)
    record(measured, args.rounds)
    versions = list(dict.fromkeys(m["torch"] for m in measured))
    if len(versions) != 2:
        raise SystemExit(f"both environments run torch {versions[0]}; give two builds")
    text = table(results.load(BENCH), versions)
    print(text)
    write_section(BENCH, text)


if __name__ == "__main__":
    main()
