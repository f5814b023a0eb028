"""Registers the `seqgan` task and its data recipe: metadata and import paths only."""

from __future__ import annotations

from typing import Any

from gantool.hookspecs import hookimpl

TASK = "seqgan"


@hookimpl
def gantool_register_tasks(register: Any) -> None:
    register(
        name=TASK,
        summary="text generation with a policy-gradient sequence GAN (SeqGAN), or its MLE "
                "baseline, on text or the synthetic LSTM oracle",
        train=("gantool_seqgan.training:build_game", "gantool_seqgan.config:SeqganConfig"),
        evaluate=("gantool_seqgan.evaluation:evaluate", "gantool_seqgan.config:SeqganEval"),
        run=("gantool_seqgan.inference:run_samples", "gantool_seqgan.config:SeqganRun"),
        networks="gantool_seqgan.models:build_networks",
        smoke="gantool_seqgan.smoke:smoke",
        onnx="gantool_seqgan.export:onnx_graphs",
        shipped="gantool_seqgan.inference:SHIPPED",
    )


@hookimpl
def gantool_register_datasets(register: Any) -> None:
    register(
        name="kjv",
        summary="King James Bible (public domain) from Debian's bible-kjv, one verse a line, "
                "train/reference split by verse",
        builder="gantool_seqgan.recipes.kjv:build",
    )
