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
    register(
        name="digits",
        summary="DCGAN on scikit-learn's 8x8 digits: FID, KID, 1-NN vs held-out real digits",
        implementation="gantool.demos.digits:DigitsTask",
        train_config="gantool.demos.digits_config:DigitsConfig",
        eval_options="gantool.demos.digits_config:DigitsEval",
        input_kind="none", output_kind="digit images",
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


@hookimpl
def gantool_register_metrics(register: Any) -> None:
    metrics = {
        "fid": "Fréchet distance between feature distributions",
        "kid": "kernel inception distance: unbiased MMD^2, cubic polynomial kernel",
        "mmd": "unbiased kernel MMD^2 (RBF, median bandwidth)",
        "one_nn_accuracy": "leave-one-out 1-NN two-sample test accuracy (0.5 is ideal)",
        "inception_score": "Inception score from class probabilities",
        "psnr": "peak signal-to-noise ratio (kornia)",
        "ssim": "structural similarity (kornia)",
    }
    for name, summary in metrics.items():
        register(name=name.replace("_", "-"), target=f"gantool.metrics:{name}", summary=summary)
