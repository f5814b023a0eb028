"""The core's own plugin: demo tasks, data recipes and objectives that ship with it.

Registered through the same hooks as any third-party plugin, so the core has no second path.
"""

from __future__ import annotations

from typing import Any

from gantool.hookspecs import hookimpl


@hookimpl
def gantool_register_tasks(register: Any) -> None:
    register(
        name="gaussians",
        summary="2-D ring of 8 Gaussians: the mode-collapse benchmark (modes covered, quality)",
        train=("gantool.demos.gaussians:build_game",
               "gantool.demos.gaussians_config:GaussiansConfig"),
        evaluate=("gantool.demos.gaussians:evaluate",
                  "gantool.demos.gaussians_config:GaussiansEval"),
        networks="gantool.demos.gaussians:build_networks",
        smoke="gantool.demos.gaussians:smoke",
        onnx="gantool.demos.export:gaussians_graphs",
    )
    register(
        name="digits",
        summary="DCGAN on scikit-learn's 8x8 digits: FID, KID, 1-NN vs held-out real digits",
        train=("gantool.demos.digits:build_game", "gantool.demos.digits_config:DigitsConfig"),
        evaluate=("gantool.demos.digits:evaluate", "gantool.demos.digits_config:DigitsEval"),
        networks="gantool.demos.digits:build_networks",
        smoke="gantool.demos.digits:smoke",
        onnx="gantool.demos.export:digits_graphs",
    )


@hookimpl
def gantool_register_datasets(register: Any) -> None:
    register(
        name="digits",
        summary="scikit-learn's 1,797 8x8 digits as PNG folders, stratified 1,297/500 split",
        builder="gantool.data.digits:build",
    )


@hookimpl
def gantool_register_losses(register: Any) -> None:
    classes = {
        "minimax": "Minimax", "non-saturating": "NonSaturating", "least-squares": "LeastSquares",
        "wasserstein": "Wasserstein", "hinge": "Hinge",
        "relativistic-average": "RelativisticAverage",
    }
    for name, cls in classes.items():
        register(name=name, target=f"gantool.losses:{cls}")
