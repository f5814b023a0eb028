"""`gantool run TASK` of a task that ships no model says so, with the command that trains one,
instead of a bare 'missing required option --weights'."""

import dataclasses

import pytest

from gantool.plugins import load_plugins
from gantool.testing import one_line_error


def needs_weights(spec) -> bool:
    """Whether the task's run options require --weights."""
    return any(f.name == "weights" and f.default is dataclasses.MISSING
               for f in dataclasses.fields(spec.run.options_class()))


UNSHIPPED = [spec for spec in load_plugins().tasks
             if spec.run is not None and spec.shipped is None and needs_weights(spec)]


def test_the_tasks_without_a_model_are_known():
    assert {spec.name for spec in UNSHIPPED} >= {"vawgan"}


@pytest.mark.parametrize("spec", UNSHIPPED, ids=lambda s: s.name)
def test_run_says_no_model_ships_and_how_to_train_one(run_cli, spec, tmp_path):
    fields = {f.name for f in dataclasses.fields(spec.run.options_class())}
    given = ["--input", tmp_path / "x"] if "input" in fields else []
    message = one_line_error(run_cli("run", spec.name, *given), f"no {spec.name} model ships yet")
    assert f"gantool train {spec.name}" in message and "--weights" in message
