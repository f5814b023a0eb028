"""Registers the `vawgan` task and its speech recipe: metadata and import paths only."""

from __future__ import annotations

from typing import Any

from gantool.hookspecs import hookimpl


@hookimpl
def gantool_register_tasks(register: Any) -> None:
    register(
        name="vawgan",
        summary="voice conversion (VAW-GAN): WORLD features, speaker-conditioned VAE + WGAN",
        implementation="gantool_vawgan.task:VawganTask",
        train_config="gantool_vawgan.config:VawganConfig",
        run_options="gantool_vawgan.config:VawganRun",
        eval_options="gantool_vawgan.config:VawganEval",
        input_kind="speech (WAV)",
        output_kind="speech (WAV)",
    )


@hookimpl
def gantool_register_datasets(register: Any) -> None:
    register(
        name="speech-espeak",
        summary="parallel synthetic speech: 50 Harvard sentences (10 held out) read by 4 "
                "espeak-ng voices (needs espeak-ng)",
        builder="gantool_vawgan.recipes.espeak:build",
    )
