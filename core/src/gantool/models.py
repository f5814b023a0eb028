"""Loading exported models: the inverse of the trainer's export, the same for every task.

A task declares `networks(config, metadata) -> {name: module}` once; training builds its
networks through it and `load_model` rebuilds them from a `model.safetensors`, so a model that
was exported always loads back, and every way a file can be wrong ends in one clear line.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from torch import nn

from gantool.checkpoint import config_from_metadata, load_weights
from gantool.config import build, fields_of
from gantool.errors import GantoolError
from gantool.metadata import split_networks

NetworkBuilder = Callable[[Any, dict[str, str]], dict[str, nn.Module]]


@dataclass
class LoadedModel:
    """An exported model in eval mode: its training config, networks and metadata."""

    task: str
    path: Path
    config: Any
    networks: dict[str, nn.Module]
    metadata: dict[str, str]

    def __getitem__(self, name: str) -> nn.Module:
        """The network `name`; a file whose metadata lists other networks is one line."""
        if name not in self.networks:
            raise GantoolError(f"{self.path} does not hold {self.task}'s network {name!r}; "
                               f"re-export it with `gantool train {self.task}`")
        return self.networks[name]


def load_model(path: Path, task: str, *, require: Sequence[str] = (),
               builder: NetworkBuilder | None = None,
               config_class: type | None = None) -> LoadedModel:
    """Read `path`, check it is `task`'s, rebuild its networks and load their weights.

    `require` names the networks the caller uses (a file exported before the metadata listed
    its networks is checked against them). `builder` and `config_class` default to what the
    task registered (`networks` and the `train` options); code without a plugin manager
    passes them.
    """
    path = Path(path)
    tensors, metadata = load_weights(path, task=task)
    if builder is None or config_class is None:
        builder, config_class = _registered(task)
    config = _config(path, task, config_class, metadata)
    remedy = f"re-export it with `gantool train {task}`"
    try:
        networks = builder(config, metadata)
    except KeyError as exc:
        raise GantoolError(f"{path} lacks the metadata {exc.args[0]!r} that {task} needs; "
                           f"{remedy}") from None
    except (ValueError, TypeError, json.JSONDecodeError) as exc:
        raise GantoolError(f"{path} has metadata {task} cannot use ({exc}); {remedy}") from None
    states = split_networks(tensors, "networks")
    names = json.loads(metadata["networks"]) if "networks" in metadata else list(states)
    loaded = {}
    for name in dict.fromkeys([*names, *require]):
        if name not in networks or name not in states:
            raise GantoolError(f"{path} does not hold {task}'s network {name!r}; {remedy}")
        try:
            networks[name].load_state_dict(states[name])
        except RuntimeError as exc:
            first = str(exc).strip().splitlines()[1:2] or [str(exc)]
            raise GantoolError(f"{path} does not fit the {task} network {name!r} its metadata "
                               f"describes ({first[0].strip()}); {remedy}") from None
        loaded[name] = networks[name].eval().requires_grad_(False)
    return LoadedModel(task, path, config, loaded, metadata)


def _registered(task: str) -> tuple[NetworkBuilder, type]:
    from gantool.imports import import_object
    from gantool.plugins import get_plugins

    spec = get_plugins().tasks.get(task)
    if spec.networks is None:
        raise GantoolError(f"task {task!r} declares no networks to load")
    return import_object(spec.networks), spec.verb("train").options_class()


def _config(path: Path, task: str, cls: type, metadata: dict[str, str]) -> Any:
    """The training config stored with the weights; keys a later version dropped are ignored,
    and a new option takes its default."""
    try:
        saved = config_from_metadata(metadata)
    except json.JSONDecodeError:
        raise GantoolError(f"{path} has a damaged config in its metadata; re-export it with "
                           f"`gantool train {task}`") from None
    known = fields_of(cls)
    try:
        return build(cls, {k: v for k, v in saved.items() if k in known})
    except GantoolError as exc:
        raise GantoolError(f"{path}: its stored config does not fit {task} ({exc})") from None
