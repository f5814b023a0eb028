"""`--init` for every trainable task: a warm start from a trained model begins where it ended
(a fresh start does not), and every shipped default can be named with `--init shipped`."""

from __future__ import annotations

import pytest
import torch
from safetensors.torch import load_file

from gantool.config import build
from gantool.imports import import_object
from gantool.metadata import read_task_metadata
from gantool.plugins import load_plugins
from gantool.train.trainer import Trainer, seed_everything
from gantool.train.warm_start import file_options, shipped_weights

TRAINABLE = [spec for spec in load_plugins().tasks if spec.train is not None and spec.smoke]
SHIPPING = [spec for spec in TRAINABLE if spec.shipped]


def _train(spec, options, out, **overrides):
    config = build(spec.train.options_class(), options,
                   {"device": "cpu", "num_workers": 0, "checkpoint_every": 1000, **overrides})
    seed_everything(config.seed)
    Trainer(spec.train.load()(config), config, out, task=spec.name, quiet=True).fit()
    return load_file(out / "model.safetensors")


def _learned(weights: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Parameters only: batch-norm statistics move in any forward pass in training mode."""
    return {k: v for k, v in weights.items()
            if v.is_floating_point() and "running_" not in k}


@pytest.mark.parametrize("spec", TRAINABLE, ids=lambda s: s.name)
def test_a_warm_start_begins_where_the_model_ended(spec, tmp_path):
    options = import_object(spec.smoke)(tmp_path / "data")
    trained = _learned(_train(spec, options, tmp_path / "a"))
    again = {"warmup_steps": 1_000_000, "seed": 1}  # the smoke budget, with almost no lr
    warm = _learned(_train(spec, options, tmp_path / "b", init=str(tmp_path / "a" /
                                                                   "model.safetensors"),
                           **again))
    fresh = _learned(_train(spec, options, tmp_path / "c", **again))
    assert trained.keys() == warm.keys()
    assert all(torch.allclose(trained[k], warm[k], atol=1e-4) for k in trained), spec.name
    assert not all(torch.allclose(trained[k], fresh[k], atol=1e-4) for k in trained)


@pytest.mark.parametrize("spec", SHIPPING, ids=lambda s: s.name)
def test_the_shipped_model_can_be_named_as_init(spec, tmp_path):
    options = import_object(spec.smoke)(tmp_path / "data")
    config = build(spec.train.options_class(), options)
    path = shipped_weights(spec.name, config)
    assert read_task_metadata(path, spec.name)["task"] == spec.name
    inherited = file_options("shipped", spec.name, config)
    assert inherited and not set(inherited) & {"seed", "batch_size", "init"}
    build(spec.train.options_class(), options, inherited)  # the file's options still build
