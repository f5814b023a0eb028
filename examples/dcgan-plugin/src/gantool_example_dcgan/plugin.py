"""The module the `gantool` entry point names: registrations and one training-event hook.

Importing it must stay cheap (no torch): `gantool tasks` and `--help` load every plugin.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

TASK = "example-dcgan"
STEP_LOG = "steps.csv"


def gantool_register_tasks(register: Callable[..., None]) -> None:
    register(
        name=TASK,
        summary="example plugin: tiny 16x16 DCGAN on synthetic shapes or a folder of images",
        train=("gantool_example_dcgan.training:build_game",
               "gantool_example_dcgan.config:ExampleConfig"),
        run=("gantool_example_dcgan.inference:run", "gantool_example_dcgan.config:ExampleRun"),
        networks="gantool_example_dcgan.models:build_networks",
        smoke="gantool_example_dcgan.smoke:smoke",
        onnx="gantool_example_dcgan.export:onnx_graphs",
    )


def gantool_step_end(run: Any, step: int, logs: dict[str, float]) -> None:
    """Append the logged losses of every run (any task) to `steps.csv` in its run directory."""
    path = Path(run.out_dir) / STEP_LOG
    keys = sorted(logs)
    is_new = not path.exists()
    with open(path, "a", newline="") as handle:
        writer = csv.writer(handle)
        if is_new:
            writer.writerow(["step", *keys])
        writer.writerow([step, *(f"{logs[key]:.6g}" for key in keys)])
