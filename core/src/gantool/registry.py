"""What plugins register: light metadata records holding import paths, never heavy objects.

Listing tasks or printing `--help` reads only these records, so it never imports torch or a
plugin's models; the implementation is imported when a task actually runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from gantool.imports import import_object

_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")
_PATH = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$")


@dataclass(frozen=True)
class TaskSpec:
    """An application a plugin offers.

    `implementation` names a `gantool.task.Task` subclass; `train_config`, `run_options` and
    `eval_options` name dataclasses (in modules that do not import torch) whose fields become
    the command-line options of `gantool train/run/eval TASK`.
    """

    name: str
    summary: str
    implementation: str
    train_config: str | None = None
    run_options: str | None = None
    eval_options: str | None = None
    input_kind: str = ""
    output_kind: str = ""
    plugin: str = ""

    def validate(self) -> None:
        if not isinstance(self.name, str) or not _NAME.match(self.name):
            raise ValueError(f"task name {self.name!r} must be lower-case letters, digits, - or _")
        if not self.summary:
            raise ValueError(f"task {self.name!r} needs a one-line summary")
        for label in ("implementation", "train_config", "run_options", "eval_options"):
            value = getattr(self, label)
            if value is not None and not (isinstance(value, str) and _PATH.match(value)):
                raise ValueError(f"task {self.name!r}: {label} must be 'module:attribute'")

    def load(self, what: str = "implementation") -> Any:
        path = getattr(self, what)
        return None if path is None else import_object(path)


@dataclass(frozen=True)
class DatasetSpec:
    """A recipe that builds an offline data set: `builder(source, out, seed) -> Path`."""

    name: str
    summary: str
    builder: str
    needs_source: bool = False
    plugin: str = ""

    def validate(self) -> None:
        if not _NAME.match(self.name) or not _PATH.match(self.builder):
            raise ValueError(f"data set {self.name!r}: bad name or builder path {self.builder!r}")


@dataclass(frozen=True)
class ComponentSpec:
    """A named metric or adversarial objective: `target` is an import path or the object."""

    name: str
    target: Any
    summary: str = ""
    plugin: str = ""

    def validate(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"component name {self.name!r} is not a valid name")

    def load(self) -> Any:
        return import_object(self.target) if isinstance(self.target, str) else self.target


S = TypeVar("S", TaskSpec, DatasetSpec, ComponentSpec)


@dataclass
class Registry(Generic[S]):
    """Name -> spec, refusing duplicates so two plugins cannot silently shadow each other."""

    kind: str
    items: dict[str, S] = field(default_factory=dict)

    def add(self, spec: S) -> None:
        spec.validate()
        if spec.name in self.items:
            owner = self.items[spec.name].plugin or "another plugin"
            raise ValueError(f"{self.kind} {spec.name!r} is already registered by {owner}")
        self.items[spec.name] = spec

    def get(self, name: str) -> S:
        from gantool.errors import GantoolError

        try:
            return self.items[name]
        except KeyError:
            known = ", ".join(sorted(self.items)) or "none"
            raise GantoolError(
                f"unknown {self.kind} {name!r}; known: {known} "
                "(`gantool plugins` shows load errors)"
            ) from None

    def __iter__(self):
        return iter(sorted(self.items.values(), key=lambda spec: spec.name))

    def __contains__(self, name: object) -> bool:
        return name in self.items


Register = Callable[..., None]
