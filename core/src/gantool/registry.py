"""What plugins register: light metadata records holding import paths, never heavy objects.

Listing tasks or printing `--help` reads only these records, so it never imports torch or a
plugin's models; an implementation is imported when its verb actually runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

from gantool.imports import import_object

_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")
_PATH = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$")

VerbName = Literal["train", "evaluate", "run"]
VERB_NAMES: tuple[VerbName, ...] = ("train", "evaluate", "run")


@dataclass(frozen=True)
class Verb:
    """One verb of a task: the function that does it and the options dataclass it takes.

    `train`: `build_game(config) -> Game`; `evaluate`: `evaluate(options) -> list[Table]`;
    `run`: a `gantool.run.Run` declaration, which the core runs as `run(options) -> list[Path |
    Table]` (the files written and any tables to show).
    The options module must not import torch: `--help` is built from its fields.
    """

    implementation: str
    options: str

    def load(self) -> Any:
        return import_object(self.implementation)

    def options_class(self) -> type:
        return import_object(self.options)


def _verb(task: str, label: str, value: Any) -> Verb | None:
    if value is None or isinstance(value, Verb):
        return value
    if (isinstance(value, tuple | list) and len(value) == 2
            and all(isinstance(v, str) and _PATH.match(v) for v in value)):
        return Verb(*value)
    raise ValueError(f"task {task!r}: {label} must be ('module:function', 'module:Options')")


@dataclass(frozen=True)
class TaskSpec:
    """An application a plugin offers: one declaration names everything the core needs.

    `networks` names `build_networks(config, metadata) -> dict[str, nn.Module]`, used by the
    task's training and by `gantool.models.load_model`, so what is exported always loads back.
    `smoke` names `smoke(folder) -> dict` of training options (data it writes into `folder`
    included) for a run of a few seconds: the suite plays every task's game on a fake GPU with
    it, and `bench/gpu_smoke.sh` trains every task on a real one.
    `onnx` names `onnx_graphs(model: LoadedModel) -> list[gantool.export.OnnxGraph]`: the
    inference networks `gantool export` writes as ONNX graphs; the core traces, checks and
    writes them.
    `shipped` names the task's default model: a `Path`, or a function of the training config
    returning one (when the default depends on the architecture); `--init shipped` starts a
    training from it, and `gantool run` reads a `Path` one when no `--weights` is given.
    """

    name: str
    summary: str
    train: Verb | None = None
    evaluate: Verb | None = None
    run: Verb | None = None
    networks: str | None = None
    smoke: str | None = None
    onnx: str | None = None
    shipped: str | None = None
    plugin: str = ""

    def __post_init__(self) -> None:
        for label in VERB_NAMES:
            object.__setattr__(self, label, _verb(self.name, label, getattr(self, label)))

    def validate(self) -> None:
        if not isinstance(self.name, str) or not _NAME.match(self.name):
            raise ValueError(f"task name {self.name!r} must be lower-case letters, digits, - or _")
        if not self.summary:
            raise ValueError(f"task {self.name!r} needs a one-line summary")
        if not any(getattr(self, label) for label in VERB_NAMES):
            raise ValueError(f"task {self.name!r} offers no verb (train, evaluate or run)")
        for label in ("networks", "smoke", "onnx", "shipped"):
            value = getattr(self, label)
            if value is not None and not (isinstance(value, str) and _PATH.match(value)):
                raise ValueError(f"task {self.name!r}: {label} must be 'module:function'")

    def verb(self, name: VerbName) -> Verb:
        from gantool.errors import GantoolError

        verb = getattr(self, name)
        if verb is None:
            command = "eval" if name == "evaluate" else name
            raise GantoolError(f"task {self.name!r} does not support `gantool {command}`")
        return verb


@dataclass(frozen=True)
class DatasetSpec:
    """A recipe that builds an offline data set: `builder(source, out, seed) -> Path`, or,
    when it names several `sources`, `builder((path, ...), out, seed)`."""

    name: str
    summary: str
    builder: str
    needs_source: bool = False
    sources: tuple[str, ...] = ()
    plugin: str = ""

    def source_argument(self, given: list[Path]) -> Path | tuple[Path, ...] | None:
        """What the builder receives for the `--source` folders the user gave."""
        from gantool.errors import GantoolError

        if self.sources:
            if len(given) != len(self.sources):
                wanted = " ".join(f"--source DIR ({what})" for what in self.sources)
                raise GantoolError(f"data set {self.name!r} is built from {len(self.sources)} "
                                   f"folders; pass {wanted}")
            return tuple(given)
        if len(given) > 1:
            raise GantoolError(f"data set {self.name!r} reads one --source folder, not "
                               f"{len(given)}")
        if self.needs_source and not given:
            raise GantoolError(f"data set {self.name!r} is built from local files; pass "
                               "--source DIR")
        return given[0] if given else None

    def validate(self) -> None:
        if not _NAME.match(self.name) or not _PATH.match(self.builder):
            raise ValueError(f"data set {self.name!r}: bad name or builder path {self.builder!r}")


@dataclass(frozen=True)
class ComponentSpec:
    """A named adversarial objective: `target` is an import path or the object."""

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
    """Name -> spec. A second registration of a name is refused and kept in `conflicts`, so
    neither plugin silently wins: the first-loaded one (first-party first) keeps the name."""

    kind: str
    items: dict[str, S] = field(default_factory=dict)
    conflicts: dict[str, list[str]] = field(default_factory=dict)

    def add(self, spec: S) -> None:
        spec.validate()
        if spec.name in self.items:
            owner = self.items[spec.name].plugin or "another plugin"
            self.conflicts.setdefault(spec.name, [owner]).append(spec.plugin)
            raise ValueError(f"{self.kind} {spec.name!r} is already registered by {owner}; "
                             f"{owner!r} keeps it (set GANTOOL_LOAD_PLUGINS to choose)")
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
