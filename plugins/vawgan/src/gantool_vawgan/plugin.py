"""Registers the `vawgan` task and its speech recipe: metadata and import paths only."""

from __future__ import annotations

from typing import Any

from gantool.hookspecs import hookimpl

TASK = "vawgan"


@hookimpl
def gantool_register_tasks(register: Any) -> None:
    register(
        name=TASK,
        summary="voice conversion (VAW-GAN): WORLD features, speaker-conditioned VAE + WGAN",
        train=("gantool_vawgan.training:build_game", "gantool_vawgan.config:VawganConfig"),
        evaluate=("gantool_vawgan.evaluation:evaluate", "gantool_vawgan.config:VawganEval"),
        run=("gantool_vawgan.inference:convert_files", "gantool_vawgan.config:VawganRun"),
        networks="gantool_vawgan.models:build_networks",
        smoke="gantool_vawgan.smoke:smoke",
        onnx="gantool_vawgan.export:onnx_graphs",
        shipped="gantool_vawgan.inference:SHIPPED",
    )


@hookimpl
def gantool_register_datasets(register: Any) -> None:
    register(
        name="speech-espeak",
        summary="parallel synthetic speech: 50 Harvard sentences (10 held out) read by 4 "
                "espeak-ng voices (needs espeak-ng)",
        builder="gantool_vawgan.recipes.espeak:build",
    )
    register(
        name="vcc2016",
        summary="a voice-conversion corpus released as training and evaluation folders of "
                "DIR/<speaker>/*.wav (VCC2016), merged with its evaluation sentences held out",
        builder="gantool_vawgan.recipes.vcc2016:build",
        sources=("training folder", "evaluation folder"),
    )
    register(
        name="parallel-speech",
        summary="speakers who read the same sentences, DIR/<speaker>/*.wav (CMU ARCTIC), with a "
                "sixth of the sentences held out by the seed",
        builder="gantool_vawgan.recipes.parallel:build",
        needs_source=True,
    )
