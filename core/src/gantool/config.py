"""Typed configurations: dataclasses whose fields are the options a user can set.

One mechanism serves the CLI (`--field-name`), TOML files (`--config`), `--set key=value` and
checkpoints (saved as JSON, compared on resume). This module must not import torch.
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from gantool.errors import GantoolError

C = TypeVar("C")


def option(default: Any = dataclasses.MISSING, help: str = "", *, resumable: bool = False,
           architecture: bool = False,
           min: float | None = None, above: float | None = None, max: float | None = None,
           choices: tuple[str, ...] | Callable[[], tuple[str, ...]] | None = None,
           **kwargs: Any) -> Any:
    """A config field with a help text that `--help` shows, and the rules its values obey.

    `resumable=True` marks a field that may change when a run resumes (for example a stage's
    step count, to lengthen or shorten training); every other change is refused. `min` and
    `max` are inclusive bounds, `above` an exclusive lower bound (a learning rate is above 0);
    `choices` lists the allowed strings, or names a function that lists them when a value is
    checked (objectives come from the objective registry, so plugins can add to them).
    `architecture=True` marks a field that shapes the networks or what they read (widths,
    depths, image side, vocabulary): a warm start (`--init`) takes it from the weights file
    unless it is given, so a fine-tune fits the model it starts from.
    Floats are always refused as NaN or infinite.
    """
    if isinstance(default, list | dict):
        kwargs["default_factory"] = lambda value=default: type(value)(value)
        default = dataclasses.MISSING
    rules = {"help": help, "resumable": resumable, "architecture": architecture, "min": min,
             "above": above, "max": max, "choices": choices}
    return field(default=default, metadata=rules, **kwargs)


def objectives() -> tuple[str, ...]:
    """The adversarial objectives known now: the core's and those plugins registered."""
    from gantool.plugins import get_plugins

    return tuple(spec.name for spec in get_plugins().losses)


@dataclass(kw_only=True)
class TrainerConfig:
    """What the trainer owns; every task's training config extends it through `@config`, which
    may give these fields other defaults without re-declaring them."""

    seed: int = option(0, "random seed for initialisation, data order and noise", min=0)
    batch_size: int = option(64, "global batch size (split across processes under torchrun)",
                             min=1)
    device: str = option("auto", "cpu, cuda, cuda:N or auto", resumable=True)
    precision: Literal["fp32", "bf16", "fp16", "auto"] = option(
        "fp32", "arithmetic: bf16 or fp16 autocast (fp16 with loss scaling); auto = bf16 on "
                "GPUs that have it, fp16 on older GPUs, fp32 on CPUs")
    deterministic: bool = option(False, "deterministic kernels, cuDNN without autotuning, TF32 "
                                        "off: bit-exact reruns and resumes on GPUs, slower")
    compile: bool = option(False, "torch.compile the networks (faster steps after a slow "
                                  "first one)", resumable=True)
    channels_last: bool = option(False, "channels-last memory layout for convolutional "
                                        "networks and image batches (faster on GPUs)",
                                 resumable=True)
    threads: int = option(0, "torch CPU threads (0 = torch's default)", resumable=True, min=0)
    num_workers: int = option(0, "data loader worker processes", resumable=True, min=0)
    ema_decay: float = option(0.0, "EMA decay of generator weights (0 = off)", min=0, max=0.99999)
    log_every: int = option(10, "write a JSON-lines log record every N steps", resumable=True,
                            min=1)
    eval_every: int = option(0, "evaluate every N steps (0 = only at the end)", resumable=True,
                             min=0)
    sample_every: int = option(0, "write a sample PNG every N steps (0 = at evaluations)",
                               resumable=True, min=0)
    checkpoint_every: int = option(500, "save a resumable checkpoint every N steps",
                                   resumable=True, min=0)
    keep_checkpoints: int = option(2, "how many checkpoints to keep", resumable=True, min=1)
    init: str | None = option(None, "start from these weights instead of a fresh init: any "
                                    "run's model.safetensors, or 'shipped' for the task's "
                                    "default model (optimizers start fresh)")
    init_networks: tuple[str, ...] = option((), "with --init: load only these networks "
                                                "(comma-separated, e.g. G); the others start "
                                                "fresh (default: every network the file holds)")
    warmup_steps: int = option(0, "raise the learning rates linearly from 0 over the first N "
                                  "steps (gentler fine-tuning with --init)", min=0)


def config(cls: type[C] | None = None, /, *, gpu: dict[str, Any] | None = None,
           **defaults: Any) -> Any:
    """`@config` or `@config(batch_size=16, ..., gpu={"batch_size": 64})`: make a keyword-only
    dataclass whose inherited fields named in `defaults` take new defaults, keeping their help,
    rules and resumability (re-declaring a field by hand would silently drop them). `gpu`
    holds the defaults that replace these when the run trains on a GPU and the user did not
    set them (`gpu_defaults`)."""

    def wrap(cls: type[C]) -> type[C]:
        inherited = {f.name: f for base in cls.__mro__[1:] if dataclasses.is_dataclass(base)
                     for f in reversed(dataclasses.fields(base))}
        hints = {}
        for base in cls.__mro__[1:]:
            if dataclasses.is_dataclass(base):
                hints = {**typing.get_type_hints(base), **hints}
        annotations = cls.__dict__.get("__annotations__", {})
        for name, value in defaults.items():
            if name not in inherited:
                raise TypeError(f"{cls.__name__}: no inherited option {name!r} to give a default")
            if name in annotations:
                raise TypeError(f"{cls.__name__}: {name!r} is both declared and overridden")
            annotations[name] = hints[name]
            setattr(cls, name, field(default=value, metadata=inherited[name].metadata))
        cls.__annotations__ = annotations
        made = dataclass(kw_only=True)(cls)
        made.__gpu_defaults__ = {**getattr(made, "__gpu_defaults__", {}), **(gpu or {})}
        unknown = set(made.__gpu_defaults__) - set(fields_of(made))
        if unknown:
            raise TypeError(f"{made.__name__}: gpu defaults for unknown options {unknown}")
        return made

    return wrap if cls is None else wrap(cls)


def gpu_defaults(cls: type) -> dict[str, Any]:
    """The option values a config declares for GPU runs (`@config(gpu=...)`)."""
    return dict(getattr(cls, "__gpu_defaults__", {}))


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


def flag(key: str) -> str:
    """How errors name an option: as the command line spells it (a config file's key is the
    same name with underscores)."""
    return "--" + key.replace("_", "-")


def coerce(tp: Any, value: Any, key: str) -> Any:
    """Convert a TOML value or a command-line string to the field's type, or explain why not."""
    inner, optional = unwrap_optional(tp)
    if value is None or (optional and isinstance(value, str) and value.lower() in ("none", "")):
        if optional:
            return None
        raise GantoolError(f"{flag(key)} needs {type_name(tp)}, got nothing")
    bad = GantoolError(f"{flag(key)} expects {type_name(tp)}, got {value!r}")
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
        if not isinstance(value, str | int | float | Path) or isinstance(value, bool):
            raise bad
        return str(value)
    if origin in (list, tuple):
        (item_type, *_) = typing.get_args(inner) or (str,)
        items = value if isinstance(value, list | tuple) else str(value).split(",")
        return origin(coerce(item_type, item, key) for item in items)
    raise bad


def check_rules(f: dataclasses.Field, value: Any) -> Any:
    """The value, or one line saying which rule of its option it breaks."""
    rules, key = f.metadata, f.name
    if isinstance(value, float) and not math.isfinite(value):
        raise GantoolError(f"{flag(key)} must be a finite number, got {value}")
    if isinstance(value, int | float) and not isinstance(value, bool):
        low, above, high = rules.get("min"), rules.get("above"), rules.get("max")
        if low is not None and value < low:
            raise GantoolError(f"{flag(key)} must be at least {low}, got {value}")
        if above is not None and value <= above:
            raise GantoolError(f"{flag(key)} must be above {above}, got {value}")
        if high is not None and value > high:
            raise GantoolError(f"{flag(key)} must be at most {high}, got {value}")
    choices = rules.get("choices")
    if choices is not None and value is not None:
        allowed = choices() if callable(choices) else choices
        if value not in allowed:
            raise GantoolError(f"{flag(key)} must be one of {', '.join(allowed)}, "
                               f"got {value!r}")
    return value


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
    except IsADirectoryError:
        raise GantoolError(f"--config {path} is a directory; pass a TOML file") from None
    except UnicodeDecodeError:
        raise GantoolError(f"config file {path} is not UTF-8 text; save it as UTF-8 TOML") \
            from None
    except tomllib.TOMLDecodeError as exc:
        raise GantoolError(f"config file {path} is not valid TOML: {exc}") from None
    except OSError as exc:
        raise GantoolError(f"config file {path} cannot be read ({exc.strerror})") from None
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
                values[key] = check_rules(known[key], coerce(field_type(cls, key), value, key))
    missing = [
        name for name, f in known.items()
        if name not in values and f.default is dataclasses.MISSING
        and f.default_factory is dataclasses.MISSING
    ]
    if missing:
        flags = ", ".join(flag(name) for name in missing)
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


def architecture_keys(cls: type) -> frozenset[str]:
    """Fields that shape the networks (declared with `option(architecture=True)`)."""
    return frozenset(name for name, f in fields_of(cls).items()
                     if f.metadata.get("architecture"))


def option_defaults(cls: type) -> dict[str, Any]:
    """The default value of each field of `cls` that has one."""
    defaults = {}
    for name, f in fields_of(cls).items():
        if f.default is not dataclasses.MISSING:
            defaults[name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            defaults[name] = f.default_factory()
    return defaults


def differing_keys(saved: dict[str, Any], current: dict[str, Any],
                   allowed: frozenset[str] = frozenset(),
                   defaults: dict[str, Any] | None = None) -> list[str]:
    """Keys whose values differ, ignoring those allowed to change. An option missing from
    `saved` but set to its default in `current` (from `defaults`) is no difference: it was
    added after the run started, and its default keeps the behaviour the run was trained with."""
    defaults = defaults or {}
    keys = set(saved) | set(current)
    return sorted(
        k for k in keys
        if k not in allowed and _normalise(saved.get(k)) != _normalise(current.get(k))
        and not (k not in saved and k in defaults
                 and _normalise(current.get(k)) == _normalise(defaults[k]))
    )


def _normalise(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


@dataclass(kw_only=True)
class RunOptions:
    """Options every `gantool run TASK` shares; tasks extend them."""

    input: str = option(help="input file, directory or glob")
    output: Path | None = option(None, "output file or directory (default: next to the input)")
    weights: Path | None = option(None, "model.safetensors to use (default: the shipped model)")
    overwrite: bool = option(False, "replace output files that already exist (never an input "
                                    "or the weights)")


@dataclass(kw_only=True)
class ClassifierRun(RunOptions):
    """`gantool run` of a task that classifies images (`gantool.predictions`)."""

    output: Path | None = option(None, "also write the predictions to this .json or .csv file")
    json: bool = option(False, "print one JSON object per image instead of a table")
