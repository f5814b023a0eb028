"""Registers the `segan` task and its data recipes: metadata and import paths only."""

from __future__ import annotations

from collections.abc import Callable

from gantool.hookspecs import hookimpl

TASK = "segan"
"""The task's name, which exported weights carry (`load_model` checks it)."""


@hookimpl
def gantool_register_tasks(register: Callable[..., None]) -> None:
    register(
        name=TASK,
        summary="medical image segmentation: segmentor-critic GAN with a multi-scale L1 loss "
                "(SegAN), or the Dice+BCE baseline",
        train=("gantool_segan.training:build_game", "gantool_segan.config:SeganConfig"),
        evaluate=("gantool_segan.evaluation:evaluate", "gantool_segan.config:SeganEval"),
        run=("gantool_segan.inference:run", "gantool_segan.config:SeganRun"),
        networks="gantool_segan.models:build_networks",
        smoke="gantool_segan.smoke:smoke",
        onnx="gantool_segan.export:onnx_graphs",
        shipped="gantool_segan.inference:SHIPPED",
    )


@hookimpl
def gantool_register_datasets(register: Callable[..., None]) -> None:
    register(
        name="lesion-phantom",
        summary="synthetic 64x64 greyscale scans with lesions (ellipses, blobs) on textured "
                "tissue, binary masks, 400/100 train/test",
        builder="gantool_segan.recipes.phantom:build_binary",
    )
    register(
        name="lesion-phantom-2class",
        summary="the same phantom with two lesion types (bright ellipses = 1, dark blobs = 2), "
                "indexed masks",
        builder="gantool_segan.recipes.phantom:build_two_class",
    )
