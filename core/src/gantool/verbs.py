"""`gantool train|eval|run TASK`: one sub-command per task, its options read from the task's
option dataclass, and what each verb does with them.

Only light modules are imported here, as in `gantool.cli`: the trainer, a task's game or run
are imported when the verb actually runs.
"""

from __future__ import annotations

import dataclasses
import enum
import inspect
import json
import typing
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from gantool.config import (
    TrainerConfig,
    build,
    field_type,
    fields_of,
    gpu_defaults,
    load_toml,
    parse_set,
    unwrap_optional,
)
from gantool.errors import GantoolError
from gantool.plugins import get_plugins, wanted_plugin_names
from gantool.registry import TaskSpec, VerbName


def _annotation(tp: Any, flag: str, text: str, panel: str) -> Any:
    """The Typer annotation for one config field: every value defaults to None (not given)."""
    inner, _ = unwrap_optional(tp)
    if inner is bool:
        return Annotated[bool | None, typer.Option(f"{flag}/--no-{flag[2:]}", help=text,
                                                   rich_help_panel=panel)]
    if typing.get_origin(inner) is Literal:
        choices = enum.Enum("Choice", {str(c): str(c) for c in typing.get_args(inner)})
        return Annotated[choices | None,  # type: ignore[valid-type]
                         typer.Option(flag, help=text, rich_help_panel=panel)]
    metavar = {int: "INT", float: "FLOAT", Path: "PATH", str: "TEXT"}.get(inner, "VALUE")
    return Annotated[str | None, typer.Option(flag, help=text, metavar=metavar,
                                              rich_help_panel=panel)]


def _field_parameters(cls: type) -> list[inspect.Parameter]:
    """Task options first, then the trainer's (in their own help panel)."""
    trainer_fields = fields_of(TrainerConfig) if issubclass(cls, TrainerConfig) else {}
    gpu = gpu_defaults(cls)
    ordered = sorted(fields_of(cls).items(), key=lambda item: item[0] in trainer_fields)
    params = []
    for name, f in ordered:
        panel = "Trainer options" if name in trainer_fields else "Task options"
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        text = f.metadata.get("help", "")
        if required:
            text += " (required)"
        elif f.default is not None:
            text += f" (default: {f.default}"
            text += f"; on a GPU: {gpu[name]})" if name in gpu else ")"
        flag = "--" + name.replace("_", "-")
        params.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None,
                                        annotation=_annotation(field_type(cls, name), flag,
                                                               text, panel)))
    return params


SET = Annotated[list[str] | None, typer.Option("--set", metavar="KEY=VALUE",
                                                help="set any option by name (repeatable)")]
COMMON: dict[str, list[tuple[str, Any, Any]]] = {
    "train": [
        ("config", Annotated[Path | None, typer.Option(help="TOML file of options")], None),
        ("out", Annotated[Path | None, typer.Option(help="run directory [default: runs/TASK]")],
         None),
        ("resume", Annotated[bool, typer.Option(help="continue from the last checkpoint")], False),
        ("quiet", Annotated[bool, typer.Option(help="no progress bar")], False),
    ],
    "eval": [("json", Annotated[bool, typer.Option("--json", help="print JSON")], False)],
    "run": [],
}


def _given(values: dict[str, Any], cls: type) -> dict[str, Any]:
    known = fields_of(cls)
    return {k: getattr(v, "value", v) for k, v in values.items()
            if k in known and v is not None}


def _train(spec: TaskSpec, values: dict[str, Any]) -> None:
    cls = spec.verb("train").options_class()
    out: Path = values["out"] or Path("runs") / spec.name
    base = _saved_config(out) if values["resume"] else {}
    file_layer = load_toml(values["config"]) if values["config"] else {}
    layers = [base, file_layer, parse_set(values["set"] or []), _given(values, cls)]
    config = build(cls, *layers, context=f"task {spec.name!r}")
    if config.init and not values["resume"]:
        layers = [_inherited(spec.name, config, layers), *layers]
        config = build(cls, *layers, context=f"task {spec.name!r}")
    from gantool.train.hardware import resolve_device
    from gantool.train.trainer import Trainer, seed_everything

    if resolve_device(config.device).type == "cuda":
        given = {key.replace("-", "_") for layer in layers for key in layer}
        extra = {k: v for k, v in gpu_defaults(cls).items() if k not in given}
        config = build(cls, *layers, extra, context=f"task {spec.name!r}") if extra else config
    seed_everything(config.seed)
    game = spec.verb("train").load()(config)
    trainer = Trainer(game, config, out, task=spec.name, events=get_plugins().manager,
                      quiet=values["quiet"])
    metrics = trainer.fit(resume=values["resume"])
    if trainer.dist.is_main:
        summary = "  ".join(f"{k} {v:.4g}" for k, v in metrics.items())
        typer.echo(f"done: {out}  {summary}".rstrip())


def _inherited(task: str, config: Any, layers: list[dict[str, Any]]) -> dict[str, Any]:
    """The `--init` file's architecture options that no layer sets, so a fine-tune keeps the
    architecture it starts from (the trainer's notice names them once the file has loaded)."""
    from gantool.train.warm_start import file_options

    given = {key.replace("-", "_") for layer in layers for key in layer}
    return {k: v for k, v in file_options(config.init, task, config).items() if k not in given}


def _saved_config(out: Path) -> dict[str, Any]:
    """The options of the run being resumed (the base that the command line changes)."""
    saved = out / "config.json"
    if not saved.is_file():
        return {}
    try:
        return json.loads(saved.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise GantoolError(f"{saved} is damaged; delete it to resume with the options given on "
                           "this command line (the checkpoint keeps the rest)") from None


def _eval(spec: TaskSpec, values: dict[str, Any]) -> None:
    verb = spec.verb("evaluate")
    cls = verb.options_class()
    options = build(cls, parse_set(values["set"] or []), _given(values, cls))
    tables = verb.load()(options)
    if values["json"]:
        typer.echo(json.dumps([json.loads(t.to_json()) for t in tables], indent=2))
    else:
        for table in tables:
            table.show()


def _run(spec: TaskSpec, values: dict[str, Any]) -> None:
    """Paths are reported as written; tables are shown, or printed as one JSON object per row
    when the task's run options have `--json`. A folder with bad files still reports what
    was written before the error."""
    from gantool.outputs import SomeInputsFailed

    verb = spec.verb("run")
    cls = verb.options_class()
    layers = [parse_set(values["set"] or []), _given(values, cls)]
    weights = fields_of(cls).get("weights")
    if (weights is not None and weights.default is dataclasses.MISSING and spec.shipped is None
            and not any("weights" in layer for layer in layers)):
        raise GantoolError(f"no {spec.name} model ships yet: train one with `gantool train "
                           f"{spec.name}` (see `gantool train {spec.name} --help`), then pass "
                           "--weights RUN/model.safetensors")
    options = build(cls, *layers)
    try:
        results = verb.load()(options)
    except SomeInputsFailed as exc:
        _show_results(exc.done, options)
        raise
    _show_results(results, options)


def _show_results(results: list[Any], options: Any) -> None:
    from gantool.report import Table

    for result in results:
        if isinstance(result, Table) and getattr(options, "json", False):
            for row in result.rows:
                typer.echo(json.dumps(dict(zip(result.columns, row, strict=True))))
            for note in result.notes:  # for people: stdout stays one JSON object per line
                typer.echo(note, err=True)
        elif isinstance(result, Table):
            result.show()
        else:
            typer.echo(f"wrote {result}")


VERBS: dict[str, tuple[VerbName, Any, str]] = {
    "train": ("train", _train, "Train a task; its options come from its config."),
    "eval": ("evaluate", _eval, "Evaluate a trained model of a task."),
    "run": ("run", _run, "Apply a task's trained model to your files."),
}


def _task_command(verb: str, spec: TaskSpec) -> Any:
    """A function whose signature Typer turns into `gantool VERB TASK --options`."""
    attr, action, _ = VERBS[verb]
    try:
        params = _field_parameters(spec.verb(attr).options_class())
    except Exception as exc:  # noqa: BLE001 - a plugin's broken config module
        raise GantoolError(f"task {spec.name!r} (plugin {spec.plugin!r}) is broken: {exc}") \
            from None
    params.append(inspect.Parameter("set", inspect.Parameter.KEYWORD_ONLY, default=None,
                                    annotation=SET))
    for name, annotation, default in COMMON[verb]:
        params.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default,
                                        annotation=annotation))

    def command(**values: Any) -> None:
        action(spec, values)

    command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in params}
    command.__doc__ = spec.summary
    return command


def _requested(argv: list[str]) -> tuple[str | None, str | None]:
    words = [a for a in argv if not a.startswith("-")]
    verb = words[0] if words and words[0] in VERBS else None
    task = words[1] if verb and len(words) > 1 else None
    return verb, task


def add_task_verbs(root: typer.Typer, argv: list[str]) -> None:
    """Add `train/eval/run` with one sub-command per task.

    Only the task named on the command line has its options built (so the other tasks'
    config modules are not imported); `gantool VERB --help` lists every task.
    """
    verb_wanted, task_wanted = _requested(argv)
    specs = list(get_plugins().tasks)
    for verb, (attr, _, help_text) in VERBS.items():
        sub = typer.Typer(help=help_text, no_args_is_help=True)
        for spec in specs:
            if getattr(spec, attr) is None:
                continue
            if verb == verb_wanted and spec.name == task_wanted:
                sub.command(spec.name, help=spec.summary)(_task_command(verb, spec))
            else:
                sub.command(spec.name, help=spec.summary)(_placeholder(spec))
        root.add_typer(sub, name=verb)
    if verb_wanted and task_wanted and task_wanted not in {s.name for s in specs}:
        supported = ", ".join(s.name for s in specs if getattr(s, VERBS[verb_wanted][0]))
        restricted = ("; GANTOOL_LOAD_PLUGINS is set, so only the plugins it names are loaded"
                      if wanted_plugin_names() is not None else "")
        raise GantoolError(
            f"unknown task {task_wanted!r}; tasks that support {verb_wanted}: "
            f"{supported or 'none'} (`gantool plugins` shows load errors){restricted}"
        )
    if verb_wanted and task_wanted:
        next(s for s in specs if s.name == task_wanted).verb(VERBS[verb_wanted][0])


def _placeholder(spec: TaskSpec) -> Any:
    def command() -> None:
        """Listed for help only."""

    command.__doc__ = spec.summary
    return command
