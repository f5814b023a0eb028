"""GPU smoke run: every task trains a few steps on the GPU, one resumes across a stage
boundary with --deterministic and must equal a straight run, and three tasks are timed on the
GPU against the CPU with GPU-sized batches.

Runs from installed wheels alone (no internet, no uv): `bench/gpu_smoke.sh` installs them.
`--device cpu` is the dry run that checks the script itself on a machine without a GPU.
Prints a Markdown table and writes it to `--out/gpu_smoke.md`; `--readme` puts it into the
README's GPU section, and `--readme-from FILE` does so with a table a GPU machine returned.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
import traceback
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file

from gantool.config import build, gpu_defaults
from gantool.imports import import_object
from gantool.plugins import GantoolPluginManager, load_plugins
from gantool.registry import TaskSpec
from gantool.train.trainer import Interrupted, Trainer, seed_everything

TIMED = {"superres": ("data",), "pix2pix": ("data",), "digits": ()}
"""The timed tasks, with the smoke options they keep (the data): the rest take the task's
defaults, so the networks timed are the ones a user trains."""


class StopAt:
    """Send SIGINT to this process when the run reaches `step` (a kill at a stage boundary)."""

    def __init__(self, step: int) -> None:
        self.step = step

    def gantool_step_end(self, run: Any, step: int, logs: dict[str, float]) -> None:
        if step == self.step:
            import os
            import signal

            os.kill(os.getpid(), signal.SIGINT)


def _config(spec: TaskSpec, folder: Path, **changes: Any) -> Any:
    values = import_object(spec.smoke)(folder)  # type: ignore[arg-type]
    return build(spec.train.options_class(), {**values, "checkpoint_every": 0,  # type: ignore
                                              "log_every": 1, **changes})


def _fit(spec: TaskSpec, config: Any, out: Path, events: Any = None,
         resume: bool = False) -> float:
    seed_everything(config.seed)
    game = spec.train.load()(config)  # type: ignore[union-attr]
    started = time.perf_counter()
    Trainer(game, config, out, task=spec.name, events=events, quiet=True).fit(resume=resume)
    return time.perf_counter() - started


def smoke_all(specs: list[TaskSpec], device: str, root: Path) -> list[list[Any]]:
    rows = []
    for spec in specs:
        print(f"smoke: {spec.name}", file=sys.stderr)
        folder = root / spec.name
        try:
            config = _config(spec, folder / "data", device=device, precision="auto")
            seconds = _fit(spec, config, folder / "run")
            rows.append([spec.name, "ok", config.precision, f"{seconds:.1f}", ""])
        except Exception as exc:  # noqa: BLE001 - every task is tried and reported
            first = f"{type(exc).__name__}: {exc}".splitlines()[0][:160]
            rows.append([spec.name, "FAILED", "", "", first])
            traceback.print_exc()
    return rows


def resume_check(specs: list[TaskSpec], device: str, root: Path) -> list[Any]:
    """Kill a two-stage task at its stage boundary, resume, compare with a straight run."""
    for spec in specs:
        config = _config(spec, root / "resume" / "data", device=device, deterministic=True,
                         checkpoint_every=1)
        game = spec.train.load()(config)  # type: ignore[union-attr]
        if len(game.stages) < 2 or game.stages[0].steps < 1:
            continue
        boundary = game.stages[0].steps
        _fit(spec, config, root / "resume" / "straight")
        listener = GantoolPluginManager()
        listener.register(StopAt(boundary), name="stop")
        try:
            _fit(spec, config, root / "resume" / "split", events=listener)
        except Interrupted:
            pass
        _fit(spec, config, root / "resume" / "split", resume=True)
        a, b = (load_file(root / "resume" / run / "model.safetensors")
                for run in ("straight", "split"))
        equal = a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
        return [spec.name, f"killed at step {boundary} (end of {game.stages[0].name!r})",
                "equal" if equal else "DIFFERENT"]
    return ["-", "no task has two stages", "-"]


def steps_per_second(spec: TaskSpec, device: str, steps: int, root: Path,
                     deterministic: bool = False, batch: int | None = None,
                     keep: tuple[str, ...] | None = None) -> tuple[float, int]:
    """Training steps per second after two warm-up steps, at the task's GPU batch size (or
    `batch`), with the smoke options `keep` (default: TIMED's) and the task's own networks."""
    smoke = import_object(spec.smoke)(root / "data")  # type: ignore[arg-type]
    cls = spec.train.options_class()  # type: ignore[union-attr]
    keep = TIMED[spec.name] if keep is None else keep
    values = {k: v for k, v in smoke.items() if k in keep or k in _LAST}
    batch = batch or gpu_defaults(cls).get("batch_size", values.get("batch_size", 16))
    earlier = {"pretrain_steps": 0} if "pretrain_steps" in smoke else {}
    config = build(cls, values, earlier, _last_stage(values, steps),
                   {"device": device, "batch_size": batch, "checkpoint_every": 0,
                    "log_every": 1, "precision": "auto", "deterministic": deterministic})
    out = root / f"run-{len(list(root.glob('run-*')))}"
    _fit(spec, config, out)
    torch.use_deterministic_algorithms(False)
    records = [json.loads(line) for line in (out / "log.jsonl").read_text().splitlines()]
    times = [r["time"] for r in records if r.get("event") == "train"]
    return (len(times) - 2) / max(1e-9, times[-1] - times[1]), batch


_LAST = ("adversarial_steps", "gan_steps", "steps")


def _last_stage(values: dict[str, Any], steps: int) -> dict[str, int]:
    """All timed steps in the task's last (adversarial) stage, none in those before it."""
    for key in _LAST:
        if key in values:
            return {key: steps}
    return {}


def table(rows: list[list[Any]], resume: list[Any], speed: list[list[Any]],
          device: str) -> str:
    name = torch.cuda.get_device_name() if device.startswith("cuda") else platform.processor()
    lines = [f"GPU smoke run on {name} (torch {torch.__version__}), "
             f"`bench/gpu_smoke.sh{' --device cpu' if device == 'cpu' else ''}`.", "",
             "| task | result | precision | seconds | error |", "|---|---|---|---|---|"]
    lines += ["| " + " | ".join(map(str, r)) + " |" for r in rows]
    lines += ["", "| resumed task | how | weights vs straight run |", "|---|---|---|",
              "| " + " | ".join(map(str, resume)) + " |", ""]
    lines += [f"| task | batch | steps/s on {device} | with --deterministic | steps/s on CPU "
              "| speed-up |", "|---|---|---|---|---|---|"]
    lines += ["| " + " | ".join(map(str, r)) + " |" for r in speed]
    return "\n".join(lines) + "\n"


def _write_readme(text: str) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from readme_tables import write_section

    write_section("gpu", text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--out", type=Path, default=Path("runs/gpu-smoke"))
    parser.add_argument("--steps", type=int, default=30, help="timed steps on the device")
    parser.add_argument("--cpu-steps", type=int, default=4, help="timed steps on the CPU")
    parser.add_argument("--batch", type=int, default=None,
                        help="timed batch size (default: each task's GPU batch size)")
    parser.add_argument("--readme", action="store_true", help="write the README section")
    parser.add_argument("--readme-from", type=Path, default=None,
                        help="write a table a GPU machine returned into the README, and stop")
    args = parser.parse_args()
    if args.readme_from is not None:
        _write_readme(args.readme_from.read_text())
        return 0
    if args.device.startswith("cuda") and not torch.cuda.is_available():
        print("no CUDA GPU here; use --device cpu for the dry run", file=sys.stderr)
        return 2
    specs = [s for s in load_plugins().tasks if s.train is not None and s.smoke is not None]
    args.out.mkdir(parents=True, exist_ok=True)
    rows = smoke_all(specs, args.device, args.out / "smoke")
    resume = resume_check(specs, args.device, args.out)
    torch.use_deterministic_algorithms(False)
    speed = []
    for spec in (s for s in specs if s.name in TIMED):
        try:
            folder = args.out / "speed" / spec.name
            fast, batch = steps_per_second(spec, args.device, args.steps + 2, folder,
                                           batch=args.batch)
            exact, _ = steps_per_second(spec, args.device, args.steps + 2, folder, True,
                                        batch=args.batch)
            slow, _ = steps_per_second(spec, "cpu", args.cpu_steps + 2, folder,
                                       batch=args.batch)
            speed.append([spec.name, batch, f"{fast:.2f}", f"{exact:.2f}", f"{slow:.3f}",
                          f"{fast / slow:.0f}x"])
        except Exception as exc:  # noqa: BLE001
            speed.append([spec.name, "-", f"FAILED: {exc}"[:120], "-", "-", "-"])
    text = table(rows, resume, speed, args.device)
    (args.out / "gpu_smoke.md").write_text(text)
    print(text)
    if args.readme:
        _write_readme(text)
    failed = any(r[1] != "ok" for r in rows) or resume[2] == "DIFFERENT"
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
