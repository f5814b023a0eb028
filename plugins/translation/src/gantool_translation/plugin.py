"""Registers the `pix2pix` and `cyclegan` tasks and their data recipes: import paths only."""

from __future__ import annotations

from typing import Any

from gantool.hookspecs import hookimpl

CONFIG = "gantool_translation.config"


@hookimpl
def gantool_register_tasks(register: Any) -> None:
    register(
        name="pix2pix",
        summary="paired image-to-image translation: U-Net + conditional PatchGAN + L1",
        train=("gantool_translation.pix2pix:build_game", f"{CONFIG}:Pix2PixConfig"),
        evaluate=("gantool_translation.evaluation:evaluate_pix2pix", f"{CONFIG}:Pix2PixEval"),
        run=("gantool_translation.inference:run_pix2pix", f"{CONFIG}:Pix2PixRun"),
        networks="gantool_translation.models:pix2pix_networks",
        smoke="gantool_translation.smoke:smoke_pix2pix",
        onnx="gantool_translation.export:pix2pix_graphs",
        shipped="gantool_translation.shipped:PIX2PIX_WEIGHTS",
    )
    register(
        name="cyclegan",
        summary="unpaired image-to-image translation: two ResNet generators, cycle consistency",
        train=("gantool_translation.cyclegan:build_game", f"{CONFIG}:CycleGANConfig"),
        evaluate=("gantool_translation.evaluation:evaluate_cyclegan", f"{CONFIG}:CycleGANEval"),
        run=("gantool_translation.inference:run_cyclegan", f"{CONFIG}:TranslationRun"),
        networks="gantool_translation.models:cyclegan_networks",
        smoke="gantool_translation.smoke:smoke_cyclegan",
        onnx="gantool_translation.export:cyclegan_graphs",
        shipped="gantool_translation.shipped:CYCLEGAN_WEIGHTS",
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
    register(
        name="facades-unpaired",
        summary="unpaired: CMP facades label maps (A) and photos (B) of disjoint training "
                "scenes; test pairs kept aligned for scoring",
        builder="gantool_translation.recipes.facades:build",
        needs_source=True,
    )
