"""The `gantool` command line.

Only light modules are imported at start-up (no torch, no plugin models): tasks, plugins and
`--help` read registration metadata and config dataclasses; heavy code is imported when a
command actually trains, evaluates or runs something.
"""

from __future__ import annotations

import dataclasses
import enum
import inspect
import json
import shutil
import signal
import subprocess
import sys
import typing
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from gantool import __version__
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
from gantool.errors import GantoolError, describe_os_error
from gantool.plugins import Plugins, get_plugins, wanted_plugin_names
from gantool.registry import TaskSpec, VerbName


def _echo_err(message: str) -> None:
    typer.echo(message, err=True)


def _warn_failed(plugins: Plugins) -> None:
    for info in plugins.failed():
        _echo_err(f"warning: plugin {info.name!r} has errors: {info.errors[0]} "
                  "(`gantool plugins` shows all)")


def _warn_conflicts(plugins: Plugins) -> None:
    """Say, on every command, what two plugins fight over, and which one keeps it."""
    for registry in (plugins.tasks, plugins.datasets, plugins.losses):
        for name, owners in registry.conflicts.items():
            _echo_err(f"warning: {registry.kind} {name!r} is registered by "
                      f"{' and '.join(map(repr, owners))}; {owners[0]!r} keeps it "
                      "(GANTOOL_LOAD_PLUGINS=... loads only the plugins it names)")
    for name in plugins.missing:
        _echo_err(f"warning: GANTOOL_LOAD_PLUGINS names {name!r}, but no installed plugin has "
                  "that name (`gantool plugins` lists them)")


def plugins(as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False) -> None:
    """List plugins with their versions, hooks, tasks and load errors."""
    loaded = get_plugins()
    rows = [info.as_dict() for info in loaded.info.values()]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="gantool plugins")
    for column in ("plugin", "distribution", "version", "tasks", "hooks"):
        table.add_column(column, no_wrap=True)  # names are never broken mid-word
    table.add_column("errors", overflow="fold")
    for row in rows:
        hooks = ", ".join(h.removeprefix("gantool_") for h in row["hooks"])
        table.add_row(row["name"], row["distribution"], row["version"], ", ".join(row["tasks"]),
                      hooks, "\n".join(row["errors"]) or "-",
                      style="red" if row["errors"] else None)
    # off a terminal (a pipe, a file) no width is known: lines as long as the table needs
    Console(width=None if sys.stdout.isatty() else 1000).print(table)


def tasks() -> None:
    """List every task with its one-line summary."""
    loaded = get_plugins()
    _warn_failed(loaded)
    width = max((len(spec.name) for spec in loaded.tasks), default=0)
    for spec in loaded.tasks:
        typer.echo(f"{spec.name:<{width}}  {spec.summary}  [{spec.plugin}]")


def _installer(verb: str, package: str) -> list[str]:
    if shutil.which("uv"):
        return ["uv", "pip", verb, "--python", sys.executable, package]
    return [sys.executable, "-m", "pip", verb, *(["-y"] if verb == "uninstall" else []), package]


def _install_target(package: str) -> str:
    """A wheel or project folder that exists, as an absolute path: pip and uv would look a bare
    folder name up as a distribution; anything else is a distribution name (or requirement)."""
    path = Path(package).expanduser()
    if path.suffix == ".whl" and not path.is_file():
        raise GantoolError(f"wheel {package} not found")
    if path.is_dir() and not any((path / f).is_file() for f in ("pyproject.toml", "setup.py")):
        raise GantoolError(f"{package} is a folder without pyproject.toml or setup.py; give a "
                           "plugin's project folder, a wheel or a distribution name")
    return str(path.resolve()) if path.exists() else package


def install(package: Annotated[str, typer.Argument(
        help="plugin distribution name, wheel file or project folder")]) -> None:
    """Install a plugin package into gantool's own environment."""
    raise typer.Exit(subprocess.call(_installer("install", _install_target(package))))


def uninstall(package: Annotated[str, typer.Argument(help="plugin distribution")]) -> None:
    """Remove a plugin package from gantool's own environment."""
    raise typer.Exit(subprocess.call(_installer("uninstall", package)))


def data_list() -> None:
    """List the data recipes."""
    for spec in get_plugins().datasets:
        source = (" (needs " + ", ".join(f"--source {what}" for what in spec.sources) + ")"
                  if spec.sources else " (needs --source)" if spec.needs_source else "")
        typer.echo(f"{spec.name}  {spec.summary}{source}  [{spec.plugin}]")


def data_build(
    name: Annotated[str, typer.Argument(help="recipe name (`gantool data list`)")],
    source: Annotated[list[Path] | None, typer.Option(
        help="folder of raw files it reads (repeat for recipes that read several)")] = None,
    out: Annotated[Path | None, typer.Option(help="default datasets/build/NAME")] = None,
    seed: Annotated[int, typer.Option(help="seed for splits and sampling")] = 0,
) -> None:
    """Build an offline data set from a recipe."""
    spec = get_plugins().datasets.get(name)
    for folder in source or []:
        if not folder.is_dir():
            raise GantoolError(f"--source {folder} is not a directory")
    argument = spec.source_argument(source or [])
    target = out or Path("datasets") / "build" / name
    from gantool.imports import import_object

    path = import_object(spec.builder)(argument, target, seed)
    typer.echo(f"built {name} in {path}")


def export(
    task: Annotated[str, typer.Argument(help="task name (`gantool tasks`)")],
    weights: Annotated[Path, typer.Option(help="the model.safetensors to export")],
    fmt: Annotated[str, typer.Option("--format", help="file format: onnx")] = "onnx",
    output: Annotated[Path | None, typer.Option(
        help="file (one graph) or folder (several); default: beside the weights")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="replace existing files")]
    = False,
) -> None:
    """Export a trained model's inference networks for other runtimes, checked against
    PyTorch."""
    spec = get_plugins().tasks.get(task)
    from gantool.export import export_task

    for exported in export_task(spec, weights, fmt, output, overwrite):
        typer.echo(exported.line())


# ------------------------------------------------------------- per-task verbs
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
                _echo_err(note)
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


def make_app(argv: list[str]) -> typer.Typer:
    """The whole command tree for this command line (plugins may add commands)."""
    app = typer.Typer(
        name="gantool", no_args_is_help=True, add_completion=False,
        help="GAN applications on one adversarial-training core. `gantool tasks` lists them.",
    )
    for command in (plugins, tasks, install, uninstall, export):
        app.command()(command)
    data_app = typer.Typer(no_args_is_help=True, help="Build offline data sets from recipes.")
    data_app.command("list")(data_list)
    data_app.command("build")(data_build)
    app.add_typer(data_app, name="data")
    loaded = get_plugins()
    _warn_conflicts(loaded)
    for impl in loaded.hook.gantool_register_commands.get_hookimpls():
        try:
            impl.function(app=app)
        except Exception as exc:  # noqa: BLE001 - a plugin's bug must not stop the CLI
            loaded.info[impl.plugin_name].errors.append(f"gantool_register_commands: {exc}")
    add_task_verbs(app, argv)
    return app


def _terminated(signum: int, _frame: Any) -> None:
    """SIGTERM ends a command as an exception, so cleanup blocks run and nothing partial
    stays (training installs its own handler, which saves a checkpoint first)."""
    _echo_err("terminated")
    raise SystemExit(128 + signum)


def version_callback() -> None:
    typer.echo(f"gantool {__version__}")


def main() -> None:
    """Entry point: user errors become one line on stderr and a non-zero exit."""
    if sys.argv[1:] == ["--version"]:
        version_callback()
        return
    signal.signal(signal.SIGTERM, _terminated)
    try:
        argv = sys.argv[1:]
        make_app(argv)(args=argv, prog_name="gantool")
    except GantoolError as exc:
        _echo_err(f"error: {exc}")
        sys.exit(getattr(exc, "exit_code", 2))
    except OSError as exc:
        _echo_err(f"error: {describe_os_error(exc)}")
        sys.exit(2)
    except KeyboardInterrupt:
        _echo_err("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
