"""The core's own plugin: demo tasks, data recipes, metrics and objectives that ship with it.

Registered through the same hooks as any third-party plugin, so the core has no second path.
"""

from __future__ import annotations

from typing import Any

from gantool.hookspecs import hookimpl

OBJECTIVES = ("minimax", "non-saturating", "least-squares", "wasserstein", "hinge",
              "relativistic-average")


@hookimpl
def gantool_register_tasks(register: Any) -> None:
    register(
        name="gaussians",
        summary="2-D ring of 8 Gaussians: the mode-collapse benchmark (modes covered, quality)",
        implementation="gantool.demos.gaussians:GaussiansTask",
        train_config="gantool.demos.gaussians_config:GaussiansConfig",
        eval_options="gantool.demos.gaussians_config:GaussiansEval",
        input_kind="none", output_kind="2-D points",
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
