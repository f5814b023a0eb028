"""Registers `ssl-gan` and `triple-gan`: metadata and import paths only, so listing stays fast."""

from __future__ import annotations

from typing import Any

from gantool.hookspecs import hookimpl

TASKS = {
    "ssl-gan": ("K+1-class GAN classifier from a few labels (Salimans et al. 2016)",
                "SslGanTask", "SslGanConfig"),
    "triple-gan": ("Triple-GAN: generator, classifier and pair discriminator (Li et al. 2017)",
                   "TripleGanTask", "TripleGanConfig"),
}


@hookimpl
def gantool_register_tasks(register: Any) -> None:
    for name, (summary, task, config) in TASKS.items():
        register(
            name=name,
            summary=summary,
            implementation=f"gantool_semisup.task:{task}",
            train_config=f"gantool_semisup.config:{config}",
            run_options="gantool_semisup.config:SemisupRun",
            eval_options="gantool_semisup.config:SemisupEval",
            input_kind="image",
            output_kind="class and probability",
        )


@hookimpl
def gantool_train_start(run: Any) -> None:
    """Save the drawn labelled subset beside the run, so the labels used are on record."""
    if run.task in TASKS:
        from gantool_semisup.labels import write_labelled

        write_labelled(run.config, run.out_dir)
