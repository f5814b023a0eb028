"""Warm starts: a training that begins from a weights file instead of a fresh initialisation.

Fine-tuning a shipped model on one's own images and continuing a long training on another
machine from committed weights are the same act: load some networks by name (shapes checked),
start the optimizers fresh, and record where the weights came from. Every exported model
carries its lineage, the chain of training segments that made it, so a model card can show
how a training was chained.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from torch import Tensor, nn

from gantool.checkpoint import config_from_metadata, load_weights
from gantool.config import (
    architecture_keys,
    field_type,
    fields_of,
    option_defaults,
    unwrap_optional,
)
from gantool.errors import GantoolError
from gantool.imports import import_object
from gantool.metadata import split_networks

SHIPPED = "shipped"
"""`--init shipped`: the task's default model (what `gantool run TASK` uses)."""


@dataclass
class WarmStart:
    """The networks to load and the lineage of the file they come from."""

    path: Path
    sha256: str
    states: dict[str, dict[str, Tensor]]
    lineage: list[dict[str, Any]] = field(default_factory=list)
    architecture: dict[str, Any] = field(default_factory=dict)
    """The file's architecture options that differ from their defaults, for the notice."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def shipped_weights(task: str, config: Any) -> Path:
    """The task's default model, as its plugin declares it (`shipped=` on the task)."""
    from gantool.plugins import get_plugins

    spec = get_plugins().tasks.get(task)
    if spec.shipped is None:
        raise GantoolError(f"task {task!r} ships no model to start from; pass --init with a "
                           "model.safetensors")
    target = import_object(spec.shipped)
    path = Path(target(config) if callable(target) else target)
    if not path.is_file():
        raise GantoolError(f"task {task!r}'s shipped model {path.name} is not installed; "
                           "reinstall the plugin or pass --init with a model.safetensors")
    return path


def path_options(config_class: type) -> set[str]:
    """The options that name files or folders (path-typed fields): the data a run reads."""
    return {name for name in fields_of(config_class)
            if unwrap_optional(field_type(config_class, name))[0] is Path}


def data_options(config: dict[str, Any], config_class: type) -> dict[str, Any]:
    """What a segment of a lineage trained on: the config's path options that are set."""
    return {name: config[name] for name in sorted(path_options(config_class))
            if config.get(name) is not None}


def segment(task: str, steps: int, config: dict[str, Any], config_class: type,
            started_from: str | None) -> dict[str, Any]:
    """One link of a lineage: what was trained, how long, on which data, from which weights."""
    return {"task": task, "steps": steps, "data": data_options(config, config_class),
            "started_from": started_from}


def init_path(init: str, task: str, config: Any) -> Path:
    """The file `--init` names: a path, or the task's shipped model for 'shipped'."""
    path = shipped_weights(task, config) if init == SHIPPED else Path(init)
    if not path.is_file():
        raise GantoolError(f"--init {path} not found; pass a model.safetensors or 'shipped'")
    return path


def file_options(init: str, task: str, config: Any) -> dict[str, Any]:
    """The architecture options (`option(architecture=True)`) the `--init` file was trained
    with: the defaults of a warm start, so `--init shipped` fits the shipped model without
    restating its widths, while the method, budget and data stay the user's."""
    from gantool.metadata import read_task_metadata

    path = init_path(init, task, config)
    try:
        saved = config_from_metadata(read_task_metadata(path, task))
    except json.JSONDecodeError:
        raise GantoolError(f"--init {path} has a damaged config in its metadata; pass "
                           "another --init") from None
    shaping = architecture_keys(type(config))
    return {key: value for key, value in saved.items() if key in shaping}


def read_warm_start(init: str, task: str, config: Any, networks: dict[str, nn.Module],
                    only: tuple[str, ...], adapted: tuple[str, ...] = (),
                    metadata: dict[str, str] | None = None) -> WarmStart:
    """Read `init` (a path or 'shipped') for this run's `networks`, refusing in one line a
    file of another task, a network it lacks or has in excess, and any shape that differs.
    The `adapted` networks were loaded by the game itself: they are only recorded; `metadata`
    is what this run will export (channels the data decided, say), to explain a mismatch."""
    path = init_path(init, task, config)
    tensors, saved_metadata = load_weights(path, task)
    states = split_networks(tensors, "networks")
    if not states:
        raise GantoolError(f"--init {path} holds no networks; pass a model.safetensors "
                           f"written by `gantool train {task}`")
    wanted = list(only) or list(states)
    absent = [name for name in wanted if name not in states]
    if absent:
        raise GantoolError(f"--init {path} holds no network {', '.join(absent)} (it holds "
                           f"{', '.join(states)}); name others with --init-networks")
    foreign = [name for name in wanted if name not in networks]
    if foreign:
        raise GantoolError(f"--init {path} holds network {', '.join(foreign)}, which this "
                           f"{task} run does not have (it has {', '.join(networks)}); choose "
                           "networks with --init-networks")
    saved_config = config_from_metadata(saved_metadata)
    wanted = [name for name in wanted if name not in adapted]
    differences = [difference for name in wanted
                   for difference in _differences(name, states[name], networks[name])]
    if differences:
        raise GantoolError(
            f"--init {path} does not fit this run's networks: {'; '.join(differences[:3])}"
            f"{_option_hint(saved_config, config, saved_metadata, metadata or {})}; train with "
            "the file's options and data of its kind, or pass another --init")
    lineage = json.loads(saved_metadata["lineage"]) if "lineage" in saved_metadata else [
        segment(task, int(saved_metadata.get("step", 0)), saved_config, type(config), None)]
    defaults = option_defaults(type(config))
    architecture = {key: saved_config[key] for key in sorted(architecture_keys(type(config)))
                    if key in saved_config and _plain(saved_config[key]) != _plain(
                        defaults.get(key))}
    return WarmStart(path, sha256_of(path), {name: states[name] for name in wanted}, lineage,
                     architecture)


def _differences(name: str, saved: dict[str, Tensor], network: nn.Module) -> list[str]:
    own = network.state_dict()
    shown = lambda t: "x".join(map(str, t.shape)) or "scalar"  # noqa: E731
    missing = [f"{name}.{key} missing from the file" for key in own if key not in saved]
    extra = [f"{name}.{key} not in this run's network" for key in saved if key not in own]
    shapes = [f"{name}.{key} is {shown(saved[key])} in the file, {shown(own[key])} here"
              for key in own if key in saved and saved[key].shape != own[key].shape]
    return shapes + missing + extra


def _option_hint(saved: dict[str, Any], config: Any, metadata: dict[str, str],
                 ours: dict[str, str]) -> str:
    """What differs from the file besides the tensors, the likely cause: the architecture
    options and the metadata the data decides (channels, say)."""
    differing = [f"{key} {saved[key]!r} vs {getattr(config, key)!r}"
                 for key in sorted(architecture_keys(type(config)))
                 if key in saved and _plain(saved[key]) != _plain(getattr(config, key))]
    differing += [f"{key} {metadata[key]} vs {value}" for key, value in ours.items()
                  if key in metadata and metadata[key] != value]
    return (f" (the file's vs this run's: {', '.join(differing[:4])})" if differing else "")


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple | list) else value


def load_warm_start(start: WarmStart, networks: dict[str, nn.Module],
                    copies: dict[str, nn.Module]) -> None:
    """Load the networks, and their EMA `copies` so an average does not start from noise."""
    for name, state in start.states.items():
        networks[name].load_state_dict(state)
        if name in copies:
            copies[name].load_state_dict(networks[name].state_dict())


def warmup_factor(step: int, warmup_steps: int) -> float:
    """The learning-rate factor of a linear warm-up from 0: fine-tuning starts with fresh
    Adam moments, whose first steps are large for weights that are already good."""
    return 1.0 if warmup_steps <= 0 else min(1.0, (step + 1) / warmup_steps)
