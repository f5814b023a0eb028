"""`gantool run TASK` of a task that ships no model says so, with the command that trains one,
instead of a bare 'missing required option --weights'. Every first-party task ships one, so a
third-party task stands in."""

import sys
import types
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from gantool.config import option
from gantool.hookspecs import hookimpl
from gantool.run import TEXT, Output, Run
from gantool.testing import one_line_error


@dataclass(kw_only=True)
class Options:
    weights: Path = option(help="model.safetensors written by `gantool train unshipped`")
    output: Path | None = option(None, "text file")
    overwrite: bool = option(False, "replace an existing output")


@hookimpl
def gantool_register_tasks(register):
    register(name="unshipped", summary="a task with no model yet",
             train=("unshipped_task:build", "unshipped_task:Options"),
             run=("unshipped_task:run", "unshipped_task:Options"))


def test_run_says_no_model_ships_and_how_to_train_one(run_cli, monkeypatch):
    from gantool import plugins

    task = types.ModuleType("unshipped_task")
    task.Options = Options
    task.run = Run("unshipped", lambda model, given, options: "x", inputs=None,
                   outputs=(Output("text", "x.txt", TEXT),))
    task.gantool_register_tasks = gantool_register_tasks
    monkeypatch.setitem(sys.modules, "unshipped_task", task)
    monkeypatch.setattr(plugins, "_entry_points",
                        lambda: [metadata.EntryPoint("unshipped", "unshipped_task", "gantool")])
    message = one_line_error(run_cli("run", "unshipped"), "no unshipped model ships yet")
    assert "gantool train unshipped" in message and "--weights" in message
