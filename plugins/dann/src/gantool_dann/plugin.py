"""Registers the `dann` task and its data recipes: metadata and import paths only."""

from __future__ import annotations

from collections.abc import Callable

from gantool.hookspecs import hookimpl

TASK = "dann"
"""The task's name, which exported weights carry (`load_model` checks it)."""


@hookimpl
def gantool_register_tasks(register: Callable[..., None]) -> None:
    register(
        name=TASK,
        summary="domain adaptation (DANN): learn on labelled source, adapt to unlabelled target",
        train=("gantool_dann.training:build_game", "gantool_dann.config:DannConfig"),
        evaluate=("gantool_dann.evaluation:evaluate", "gantool_dann.config:DannEval"),
        run=("gantool_dann.inference:run", "gantool_dann.config:DannRun"),
        networks="gantool_dann.models:build_networks",
        smoke="gantool_dann.smoke:smoke",
        onnx="gantool_dann.export:onnx_graphs",
        shipped="gantool_dann.inference:SHIPPED",
    )


@hookimpl
def gantool_register_datasets(register: Callable[..., None]) -> None:
    register(
        name="digits-m",
        summary="MNIST-M construction on scikit-learn's digits: |digit - photo patch|, 28x28 RGB",
        builder="gantool_dann.recipes.blend:build",
    )
    register(
        name="mnist-m",
        summary="MNIST-M (Ganin et al. 2016): MNIST digits blended with patches of your photos",
        builder="gantool_dann.recipes.mnist_m:build",
        sources=("MNIST idx files", "colour photographs"),
    )
    register(
        name="digits-printed",
        summary="printed digits from bundled fonts, 8x8 like scikit-learn's handwritten ones",
        builder="gantool_dann.recipes.printed:build",
    )
