"""Training events sent to plugins, each hook implementation isolated from the run.

A logger plugin that raises must not end someone's training: its exception is reported once
on stderr, that implementation is switched off for the rest of the run, and training goes on.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pluggy


@dataclass
class RunInfo:
    """What training-event hooks receive as `run`."""

    task: str
    out_dir: Path
    config: dict[str, Any]
    step: int = 0


class Events:
    """Calls each plugin's implementation of a training-event hook in turn."""

    def __init__(self, manager: pluggy.PluginManager | None) -> None:
        self.manager = manager
        self.disabled: set[tuple[str, str]] = set()

    def emit(self, name: str, **kwargs: Any) -> list[Any]:
        """Call every implementation still enabled; return what each returned."""
        if self.manager is None:
            return []
        results = []
        for impl in getattr(self.manager.hook, name).get_hookimpls():
            key = (impl.plugin_name, name)
            if key in self.disabled:
                continue
            try:
                results.append(impl.function(**{k: kwargs[k] for k in impl.argnames
                                                if k in kwargs}))
            except Exception as exc:  # noqa: BLE001 - a plugin's bug must not stop training
                self.disabled.add(key)
                print(f"warning: plugin {impl.plugin_name!r} failed in {name} "
                      f"({type(exc).__name__}: {exc}); it is disabled for this run",
                      file=sys.stderr)
        return results

    def run_files(self) -> set[str]:
        """What the plugins' hooks write into run directories (`gantool_run_files`)."""
        return {name for names in self.emit("gantool_run_files") for name in names or ()}
