"""Registers `ssl-gan` and `triple-gan`: metadata and import paths only, so listing stays fast."""

from __future__ import annotations

from typing import Any

from gantool.hookspecs import hookimpl


@hookimpl
def gantool_register_tasks(register: Any) -> None:
    register(
        name="ssl-gan",
        summary="K+1-class GAN classifier from a few labels (Salimans et al. 2016)",
        train=("gantool_semisup.kplus1:build_game", "gantool_semisup.config:SslGanConfig"),
        evaluate=("gantool_semisup.evaluation:evaluate_ssl_gan",
                  "gantool_semisup.config:SemisupEval"),
        run=("gantool_semisup.inference:run_ssl_gan", "gantool_semisup.config:SemisupRun"),
        networks="gantool_semisup.models:ssl_gan_networks",
        smoke="gantool_semisup.smoke:smoke_ssl_gan",
        onnx="gantool_semisup.export:ssl_gan_graphs",
        shipped="gantool_semisup.trained:SHIPPED",
    )
    register(
        name="triple-gan",
        summary="Triple-GAN: generator, classifier and pair discriminator (Li et al. 2017)",
        train=("gantool_semisup.triple:build_game", "gantool_semisup.config:TripleGanConfig"),
        evaluate=("gantool_semisup.evaluation:evaluate_triple_gan",
                  "gantool_semisup.config:SemisupEval"),
        run=("gantool_semisup.inference:run_triple_gan", "gantool_semisup.config:SemisupRun"),
        networks="gantool_semisup.models:triple_gan_networks",
        smoke="gantool_semisup.smoke:smoke_triple_gan",
        onnx="gantool_semisup.export:triple_gan_graphs",
    )
