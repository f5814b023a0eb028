"""Registers the `superres` task: metadata and import paths only, so listing tasks stays fast."""

from __future__ import annotations

from typing import Any

from gantool.hookspecs import hookimpl


@hookimpl
def gantool_register_tasks(register: Any) -> None:
    register(
        name="superres",
        summary="4x photo super-resolution (SRResNet / SRGAN), shipped CPU-sized weights",
        implementation="gantool_superres.task:SuperResTask",
        train_config="gantool_superres.config:SuperResConfig",
        run_options="gantool_superres.config:SuperResRun",
        eval_options="gantool_superres.config:SuperResEval",
        input_kind="image",
        output_kind="image",
    )
