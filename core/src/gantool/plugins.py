"""The plugin manager: loads plugins from the ``gantool`` entry-point group, isolating failures.

One broken plugin never takes the CLI down: its import or registration error is kept and shown
by ``gantool plugins`` while everything else keeps working, even one that calls ``sys.exit``
on import. ``GANTOOL_LOAD_PLUGINS`` restricts loading to a comma-separated list of entry-point
names (empty: load none). First-party distributions (named ``gantool-*``) load first, so when
two plugins register one task name the first-party one keeps it and the other is told why.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from typing import Any

import pluggy

from gantool import hookspecs
from gantool.registry import ComponentSpec, DatasetSpec, Registry, TaskSpec

ENTRY_POINT_GROUP = "gantool"
BUILTIN = "gantool-core"


@dataclass
class PluginInfo:
    """What `gantool plugins` shows for one plugin."""

    name: str
    distribution: str
    version: str
    hooks: list[str] = field(default_factory=list)
    tasks: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass
class Plugins:
    """The loaded plugins and everything they registered."""

    manager: pluggy.PluginManager
    info: dict[str, PluginInfo]
    tasks: Registry[TaskSpec]
    datasets: Registry[DatasetSpec]
    losses: Registry[ComponentSpec]
    missing: list[str] = field(default_factory=list)
    """Names in GANTOOL_LOAD_PLUGINS that no installed plugin has."""

    @property
    def hook(self) -> Any:
        return self.manager.hook

    def failed(self) -> list[PluginInfo]:
        return [info for info in self.info.values() if info.errors]


class GantoolPluginManager(pluggy.PluginManager):
    """Treats every `gantool_*` function of a plugin as a hook implementation, marked or not,
    so a misspelt hook name is caught by `check_pending` instead of being silently ignored."""

    def __init__(self) -> None:
        super().__init__("gantool")
        self.add_hookspecs(hookspecs)

    def parse_hookimpl_opts(self, plugin: object, name: str) -> Any:
        opts = super().parse_hookimpl_opts(plugin, name)
        if opts is None and name.startswith("gantool_") and callable(getattr(plugin, name, None)):
            return {}
        return opts


def wanted_plugin_names() -> set[str] | None:
    """None means all; an empty set means none."""
    raw = os.environ.get("GANTOOL_LOAD_PLUGINS")
    if raw is None:
        return None
    return {name.strip() for name in raw.split(",") if name.strip()}


def _entry_points() -> list[metadata.EntryPoint]:
    return list(metadata.entry_points(group=ENTRY_POINT_GROUP))


def _load_order(ep: metadata.EntryPoint) -> tuple[bool, str]:
    dist = ep.dist.name if ep.dist else ""
    return (not dist.startswith("gantool-"), ep.name)


def _hook_names(manager: pluggy.PluginManager, plugin: object) -> list[str]:
    callers = manager.get_hookcallers(plugin) or []
    return sorted(caller.name for caller in callers)


def load_plugins(builtin: bool = True) -> Plugins:
    """Build a fresh plugin manager (tests use this; the CLI uses the cached `get_plugins`)."""
    manager = GantoolPluginManager()
    info: dict[str, PluginInfo] = {}

    if builtin:
        from gantool import __version__
        from gantool import builtin as builtin_plugin

        manager.register(builtin_plugin, name=BUILTIN)
        info[BUILTIN] = PluginInfo(BUILTIN, "gantool-core", __version__)

    wanted = wanted_plugin_names()
    entry_points = sorted(_entry_points(), key=_load_order)
    for ep in entry_points:
        if wanted is not None and ep.name not in wanted:
            continue
        dist = ep.dist.name if ep.dist else "?"
        version = ep.dist.version if ep.dist else "?"
        entry = info[ep.name] = PluginInfo(ep.name, dist, version)
        try:
            plugin = ep.load()
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - even sys.exit: reported, never raised
            entry.errors.append(f"import failed: {type(exc).__name__}: {exc}")
            continue
        try:
            manager.register(plugin, name=ep.name)
            manager.check_pending()
        except Exception as exc:  # noqa: BLE001 - unknown hook names and bad impls
            entry.errors.append(f"rejected: {exc}")
            if manager.is_registered(plugin):
                manager.unregister(plugin)
    for name, entry in info.items():
        plugin = manager.get_plugin(name)
        if plugin is not None:
            entry.hooks = _hook_names(manager, plugin)

    plugins = Plugins(manager, info, Registry("task"), Registry("data set"),
                      Registry("objective"))
    if wanted is not None:
        plugins.missing = sorted(wanted - {ep.name for ep in entry_points})
    _collect(plugins, "gantool_register_tasks", TaskSpec, plugins.tasks)
    _collect(plugins, "gantool_register_datasets", DatasetSpec, plugins.datasets)
    _collect(plugins, "gantool_register_losses", ComponentSpec, plugins.losses)
    for spec in plugins.tasks:
        info[spec.plugin].tasks.append(spec.name)
    return plugins


def _collect(plugins: Plugins, hook_name: str, spec_cls: type, registry: Registry) -> None:
    """Call one registration hook plugin by plugin so one failure stays with its plugin."""
    caller = getattr(plugins.hook, hook_name)
    for impl in caller.get_hookimpls():  # in registration (load) order
        owner = impl.plugin_name

        def register(_owner: str = owner, **kwargs: Any) -> None:
            registry.add(spec_cls(plugin=_owner, **kwargs))

        try:
            impl.function(register=register)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - a broken registration
            plugins.info[owner].errors.append(f"{hook_name} failed: {type(exc).__name__}: {exc}")


@cache
def get_plugins() -> Plugins:
    """The process-wide plugin set (loaded once)."""
    return load_plugins()
