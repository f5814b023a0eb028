"""Registers the `superres` task: metadata and import paths only, so listing tasks stays fast."""

from __future__ import annotations

from typing import Any

from gantool.hookspecs import hookimpl

TASK = "superres"


@hookimpl
def gantool_register_tasks(register: Any) -> None:
    register(
        name=TASK,
        summary="4x photo super-resolution (SRResNet / SRGAN), shipped CPU-sized weights",
        train=("gantool_superres.training:build_game", "gantool_superres.config:SuperResConfig"),
        evaluate=("gantool_superres.evaluation:evaluate",
                  "gantool_superres.config:SuperResEval"),
        run=("gantool_superres.inference:run_files", "gantool_superres.config:SuperResRun"),
        networks="gantool_superres.models:build_networks",
        smoke="gantool_superres.smoke:smoke",
        onnx="gantool_superres.export:onnx_graphs",
        shipped="gantool_superres.weights:shipped_for",
    )
