"""Registers the `pix2pix` and `cyclegan` tasks and their data recipes: import paths only."""

from __future__ import annotations

from typing import Any

from gantool.hookspecs import hookimpl


@hookimpl
def gantool_register_tasks(register: Any) -> None:
    register(
        name="pix2pix",
        summary="paired image-to-image translation: U-Net + conditional PatchGAN + L1",
        implementation="gantool_translation.task:Pix2PixTask",
        train_config="gantool_translation.config:Pix2PixConfig",
        run_options="gantool_translation.config:TranslationRun",
        eval_options="gantool_translation.config:Pix2PixEval",
        input_kind="image",
        output_kind="image",
    )
    register(
        name="cyclegan",
        summary="unpaired image-to-image translation: two ResNet generators, cycle consistency",
        implementation="gantool_translation.task:CycleGANTask",
        train_config="gantool_translation.config:CycleGANConfig",
        run_options="gantool_translation.config:TranslationRun",
        eval_options="gantool_translation.config:CycleGANEval",
        input_kind="image",
        output_kind="image",
    )


@hookimpl
def gantool_register_datasets(register: Any) -> None:
    register(
        name="grey2colour",
        summary="paired: greyscale -> colour 64x64 crops of your photos, A|B PNGs, test split "
                "from other photos",
        builder="gantool_translation.recipes.paired:build_grey2colour",
        needs_source=True,
    )
    register(
        name="edges2photos",
        summary="paired: Canny edges (kornia) -> colour 64x64 crops of your photos, A|B PNGs",
        builder="gantool_translation.recipes.paired:build_edges2photos",
        needs_source=True,
    )
    register(
        name="dark2bright",
        summary="unpaired: 64x64 crops of your darkest third of photos (A) vs the brightest "
                "third (B)",
        builder="gantool_translation.recipes.unpaired:build",
        needs_source=True,
    )
