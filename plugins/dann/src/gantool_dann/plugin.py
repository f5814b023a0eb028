"""Registers the `dann` task and its data recipes: metadata and import paths only."""

from __future__ import annotations

from typing import Any

from gantool.hookspecs import hookimpl


@hookimpl
def gantool_register_tasks(register: Any) -> None:
    register(
        name="dann",
        summary="domain adaptation (DANN): learn on labelled source, adapt to unlabelled target",
        implementation="gantool_dann.task:DannTask",
        train_config="gantool_dann.config:DannConfig",
        run_options="gantool_dann.config:DannRun",
        eval_options="gantool_dann.config:DannEval",
        input_kind="image",
        output_kind="class labels (CSV)",
    )


@hookimpl
def gantool_register_datasets(register: Any) -> None:
    register(
        name="digits-m",
        summary="MNIST-M construction on scikit-learn's digits: |digit - photo patch|, 28x28 RGB",
        builder="gantool_dann.recipes.blend:build",
    )
    register(
        name="digits-printed",
        summary="printed digits from bundled fonts, 8x8 like scikit-learn's handwritten ones",
        builder="gantool_dann.recipes.printed:build",
    )
