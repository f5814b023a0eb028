"""The plugin manager isolates broken plugins and honours GANTOOL_LOAD_PLUGINS."""

import re
import sys
import types
from importlib import metadata

import pytest

from gantool import plugins as plugin_module


def _module(name: str, **functions) -> types.ModuleType:
    module = types.ModuleType(name)
    for key, value in functions.items():
        setattr(module, key, value)
    sys.modules[name] = module
    return module


@pytest.fixture
def fake_entry_points(monkeypatch):
    def good_tasks(register):
        register(name="good", summary="works", train=("good_plugin:build", "good_plugin:Config"))

    def raising_tasks(register):
        raise RuntimeError("boom")

    def bad_task(register):
        register(name="Bad Name", summary="x", train=("m:f", "m:C"))

    _module("good_plugin", gantool_register_tasks=good_tasks)
    _module("typo_plugin", gantool_register_taskz=good_tasks)
    _module("raising_plugin", gantool_register_tasks=raising_tasks)
    _module("badtask_plugin", gantool_register_tasks=bad_task)
    eps = [
        metadata.EntryPoint("good", "good_plugin", "gantool"),
        metadata.EntryPoint("typo", "typo_plugin", "gantool"),
        metadata.EntryPoint("raising", "raising_plugin", "gantool"),
        metadata.EntryPoint("badtask", "badtask_plugin", "gantool"),
        metadata.EntryPoint("missing", "no_such_module_anywhere", "gantool"),
    ]
    monkeypatch.setattr(plugin_module, "_entry_points", lambda: eps)
    monkeypatch.delenv("GANTOOL_LOAD_PLUGINS", raising=False)
    yield
    for name in ("good_plugin", "typo_plugin", "raising_plugin", "badtask_plugin"):
        sys.modules.pop(name, None)


def test_broken_plugins_are_listed_with_their_errors(fake_entry_points):
    loaded = plugin_module.load_plugins()
    assert "good" in loaded.tasks and "gaussians" in loaded.tasks
    errors = {name: info.errors for name, info in loaded.info.items()}
    assert errors["good"] == []
    assert "gantool_register_taskz" in errors["typo"][0]
    assert "RuntimeError: boom" in errors["raising"][0]
    assert "lower-case" in errors["badtask"][0]
    assert "import failed" in errors["missing"][0]
    assert loaded.info["good"].tasks == ["good"]
    assert loaded.info["good"].hooks == ["gantool_register_tasks"]


def test_load_plugins_env_restricts(fake_entry_points, monkeypatch):
    monkeypatch.setenv("GANTOOL_LOAD_PLUGINS", "")
    assert set(plugin_module.load_plugins().info) == {"gantool-core"}
    monkeypatch.setenv("GANTOOL_LOAD_PLUGINS", "good, missing")
    assert set(plugin_module.load_plugins().info) == {"gantool-core", "good", "missing"}


def test_duplicate_task_names_stay_with_the_first(fake_entry_points, monkeypatch):
    def duplicate(register):
        register(name="good", summary="again", train=("x:f", "x:C"))

    _module("dup_plugin", gantool_register_tasks=duplicate)
    eps = [metadata.EntryPoint("good", "good_plugin", "gantool"),
           metadata.EntryPoint("zdup", "dup_plugin", "gantool")]
    monkeypatch.setattr(plugin_module, "_entry_points", lambda: eps)
    loaded = plugin_module.load_plugins()
    assert loaded.tasks.get("good").plugin == "good"
    assert "already registered by good" in loaded.info["zdup"].errors[0]


def test_a_recipe_gets_the_source_folders_it_names(tmp_path):
    from gantool.errors import GantoolError
    from gantool.registry import DatasetSpec

    one = DatasetSpec("one", "", "m:f", needs_source=True)
    two = DatasetSpec("two", "", "m:f", sources=("digits", "photos"))
    assert one.source_argument([tmp_path]) == tmp_path
    assert DatasetSpec("none", "", "m:f").source_argument([]) is None
    assert two.source_argument([tmp_path, tmp_path / "p"]) == (tmp_path, tmp_path / "p")
    for spec, given, message in [
        (one, [], "pass --source DIR"),
        (one, [tmp_path, tmp_path], "reads one --source folder, not 2"),
        (two, [tmp_path], "pass --source DIR (digits) --source DIR (photos)"),
    ]:
        with pytest.raises(GantoolError, match=re.escape(message)):
            spec.source_argument(given)


def test_the_plugin_table_never_breaks_a_name_off_a_terminal(run_cli):
    code, out, err = run_cli("plugins")
    assert code == 0, err
    line = next(line for line in out.splitlines() if "gantool-core" in line)
    assert "digits, gaussians" in line and "register_datasets, register_losses" in line
