"""Registers the `seqgan` task and its data recipe: metadata and import paths only."""

from __future__ import annotations

from typing import Any

from gantool.hookspecs import hookimpl


@hookimpl
def gantool_register_tasks(register: Any) -> None:
    register(
        name="seqgan",
        summary="text generation with a policy-gradient sequence GAN (SeqGAN), or its MLE "
                "baseline, on text or the synthetic LSTM oracle",
        implementation="gantool_seqgan.task:SeqganTask",
        train_config="gantool_seqgan.config:SeqganConfig",
        run_options="gantool_seqgan.config:SeqganRun",
        eval_options="gantool_seqgan.config:SeqganEval",
        input_kind="text",
        output_kind="text",
    )


@hookimpl
def gantool_register_datasets(register: Any) -> None:
    register(
        name="kjv",
        summary="King James Bible (public domain) from Debian's bible-kjv, one verse a line, "
                "train/reference split by verse",
        builder="gantool_seqgan.recipes.kjv:build",
    )
