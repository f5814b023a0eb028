"""The `gantool` command line.

Only light modules are imported at start-up (no torch, no plugin models): tasks, plugins and
`--help` read registration metadata and config dataclasses; heavy code is imported when a
command actually trains, evaluates or runs something.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from gantool import __version__
from gantool.errors import GantoolError, describe_os_error
from gantool.plugins import Plugins, get_plugins
from gantool.verbs import add_task_verbs


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
