"""Registers the `segan` task and its data recipes: metadata and import paths only."""

from __future__ import annotations

from typing import Any

from gantool.hookspecs import hookimpl


@hookimpl
def gantool_register_tasks(register: Any) -> None:
    register(
        name="segan",
        summary="medical image segmentation: segmentor-critic GAN with a multi-scale L1 loss "
                "(SegAN), or the Dice+BCE baseline",
        implementation="gantool_segan.task:SeganTask",
        train_config="gantool_segan.config:SeganConfig",
        run_options="gantool_segan.config:SeganRun",
        eval_options="gantool_segan.config:SeganEval",
        input_kind="image (scan)",
        output_kind="mask PNG and overlay PNG",
    )


@hookimpl
def gantool_register_datasets(register: Any) -> None:
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
