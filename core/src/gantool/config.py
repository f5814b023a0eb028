"""Typed configurations: dataclasses whose fields are the options a user can set.

One mechanism serves the CLI (`--field-name`), TOML files (`--config`), `--set key=value` and
checkpoints (saved as JSON, compared on resume). This module must not import torch.
"""

from __future__ import annotations

import dataclasses
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from gantool.errors import GantoolError

C = TypeVar("C")


def option(default: Any = dataclasses.MISSING, help: str = "", *, resumable: bool = False,
           **kwargs: Any) -> Any:
    """A config field with a help text that `--help` shows.

    `resumable=True` marks a field that may change when a run resumes (for example a stage's
    step count, to lengthen or shorten training); every other change is refused.
    """
    if isinstance(default, list | dict):
        kwargs["default_factory"] = lambda value=default: type(value)(value)
        default = dataclasses.MISSING
    return field(default=default, metadata={"help": help, "resumable": resumable}, **kwargs)


@dataclass(kw_only=True)
class TrainerConfig:
    """What the trainer owns; every task's training config extends it (use kw_only=True
    dataclasses so required fields may follow the defaults)."""

    seed: int = option(0, "random seed for initialisation, data order and noise")
    batch_size: int = option(64, "global batch size (split across processes under torchrun)")
    device: str = option("auto", "cpu, cuda, cuda:N or auto", resumable=True)
    bf16: bool = option(False, "bfloat16 autocast (CPU and GPU)")
    threads: int = option(0, "torch CPU threads (0 = torch's default)", resumable=True)
    num_workers: int = option(0, "data loader worker processes", resumable=True)
    ema_decay: float = option(0.0, "EMA decay of generator weights (0 = off)")
    log_every: int = option(10, "write a JSON-lines log record every N steps", resumable=True)
    eval_every: int = option(0, "evaluate every N steps (0 = only at the end)", resumable=True)
    sample_every: int = option(0, "write a sample PNG every N steps (0 = at evaluations)",
                               resumable=True)
    checkpoint_every: int = option(500, "save a resumable checkpoint every N steps", resumable=True)
    keep_checkpoints: int = option(2, "how many checkpoints to keep", resumable=True)


def fields_of(cls: type) -> dict[str, dataclasses.Field]:
    return {f.name: f for f in dataclasses.fields(cls)}


def field_type(cls: type, name: str) -> Any:
    return typing.get_type_hints(cls)[name]


def unwrap_optional(tp: Any) -> tuple[Any, bool]:
    """(inner type, whether None is allowed) for `X | None`."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return tp, False


def type_name(tp: Any) -> str:
    inner, optional = unwrap_optional(tp)
    if typing.get_origin(inner) is Literal:
        name = "one of " + ", ".join(map(str, typing.get_args(inner)))
    else:
        name = {bool: "true/false", int: "an integer", float: "a number", str: "a string",
                Path: "a path"}.get(inner, getattr(inner, "__name__", str(inner)))
    return name + (" or none" if optional else "")


def coerce(tp: Any, value: Any, key: str) -> Any:
    """Convert a TOML value or a command-line string to the field's type, or explain why not."""
    inner, optional = unwrap_optional(tp)
    if value is None or (optional and isinstance(value, str) and value.lower() in ("none", "")):
        if optional:
            return None
        raise GantoolError(f"config key {key!r} needs {type_name(tp)}, got nothing")
    bad = GantoolError(f"config key {key!r} expects {type_name(tp)}, got {value!r}")
    origin = typing.get_origin(inner)
    if origin is Literal:
        choices = typing.get_args(inner)
        for choice in choices:
            if value == choice or str(value) == str(choice):
                return choice
        raise bad
    if inner is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "1", "yes", "on", "false", "0",
                                                         "no", "off"):
            return value.lower() in ("true", "1", "yes", "on")
        raise bad
    if inner is int:
        if isinstance(value, bool):
            raise bad
        if isinstance(value, int):
            return value
        try:
            return int(str(value).replace("_", ""))
        except ValueError:
            raise bad from None
    if inner is float:
        if isinstance(value, bool):
            raise bad
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad from None
    if inner is Path:
        if not isinstance(value, str | Path):
            raise bad
        return Path(value)
    if inner is str:
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise bad
        return str(value)
    if origin in (list, tuple):
        (item_type, *_) = typing.get_args(inner) or (str,)
        items = value if isinstance(value, list | tuple) else str(value).split(",")
        return origin(coerce(item_type, item, key) for item in items)
    raise bad


def parse_set(items: list[str] | tuple[str, ...]) -> dict[str, str]:
    """`--set key=value` pairs to a dict (keys may use - or _)."""
    values: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise GantoolError(f"--set expects key=value, got {item!r}")
        values[key.strip().replace("-", "_")] = value.strip()
    return values


def load_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise GantoolError(f"config file {path} not found; check the --config path") from None
    except tomllib.TOMLDecodeError as exc:
        raise GantoolError(f"config file {path} is not valid TOML: {exc}") from None
    # Allow either a flat file or a [train] table.
    return dict(data.get("train", data))


def build(cls: type[C], *layers: dict[str, Any], context: str = "") -> C:
    """Instantiate `cls` from layered dicts (later layers win), checking names and types."""
    known = fields_of(cls)
    values: dict[str, Any] = {}
    for layer in layers:
        for raw_key, value in layer.items():
            key = raw_key.replace("-", "_")
            if key not in known:
                where = f" for {context}" if context else ""
                raise GantoolError(
                    f"unknown config key {raw_key!r}{where}; known keys: {', '.join(known)}"
                )
            if value is not None:
                values[key] = coerce(field_type(cls, key), value, key)
    missing = [
        name for name, f in known.items()
        if name not in values and f.default is dataclasses.MISSING
        and f.default_factory is dataclasses.MISSING
    ]
    if missing:
        flags = ", ".join("--" + name.replace("_", "-") for name in missing)
        raise GantoolError(f"missing required option {flags}")
    return cls(**values)


def to_dict(config: Any) -> dict[str, Any]:
    """JSON-safe dict of a config (paths as strings)."""
    out = {}
    for name, value in dataclasses.asdict(config).items():
        out[name] = str(value) if isinstance(value, Path) else value
    return out


def resumable_keys(cls: type) -> frozenset[str]:
    """Fields that may change when a run resumes (declared with `option(resumable=True)`)."""
    return frozenset(name for name, f in fields_of(cls).items() if f.metadata.get("resumable"))


def differing_keys(saved: dict[str, Any], current: dict[str, Any],
                   allowed: frozenset[str] = frozenset()) -> list[str]:
    """Keys whose values differ, ignoring those allowed to change."""
    keys = set(saved) | set(current)
    return sorted(
        k for k in keys
        if k not in allowed and _normalise(saved.get(k)) != _normalise(current.get(k))
    )


def _normalise(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


@dataclass(kw_only=True)
class RunOptions:
    """Options every `gantool run TASK` shares; tasks extend them."""

    input: str = option(help="input file, directory or glob")
    output: Path | None = option(None, "output file or directory (default: next to the input)")
    weights: Path | None = option(None, "model.safetensors to use (default: the shipped model)")
