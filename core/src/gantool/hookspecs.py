"""The plugin contract: every hook a gantool plugin may implement.

A plugin is a module (or object) exposed through the ``gantool`` entry-point group whose
functions are named after these hooks and marked with ``gantool.hookimpl`` (the marker is
optional for plain module functions with the exact hook name). Registration hooks receive a
``register`` callable and must only hand over metadata and import paths, so that listing tasks
and ``--help`` stay fast; heavy code is imported when a task runs.
"""

from __future__ import annotations

from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("gantool")
hookimpl = pluggy.HookimplMarker("gantool")


@hookspec
def gantool_register_tasks(register: Any) -> None:
    """Register applications: ``register(name=..., summary=..., implementation="pkg.mod:Task",
    train_config=..., run_options=..., eval_options=..., input_kind=..., output_kind=...)``.

    The keyword arguments are those of :class:`gantool.registry.TaskSpec`.
    """


@hookspec
def gantool_register_datasets(register: Any) -> None:
    """Register data recipes for ``gantool data build``:
    ``register(name=..., summary=..., builder="pkg.mod:build", needs_source=False)``.

    The builder is called as ``builder(source: Path | None, out: Path, seed: int) -> Path``.
    """


@hookspec
def gantool_register_metrics(register: Any) -> None:
    """Register named metrics: ``register(name=..., target="pkg.mod:fn", summary=...)``."""


@hookspec
def gantool_register_losses(register: Any) -> None:
    """Register adversarial objectives: ``register(name=..., target="pkg.mod:Objective")``.

    The target must follow :class:`gantool.losses.Objective` (``d_loss`` and ``g_loss``); a
    config selects it by name through :func:`gantool.losses.get_objective`.
    """


@hookspec
def gantool_register_commands(app: Any) -> None:
    """Add commands to the CLI: ``app`` is the root ``typer.Typer``; keep imports inside them."""


@hookspec
def gantool_train_start(run: Any) -> None:
    """A training run starts. ``run`` has ``task``, ``out_dir``, ``config`` (dict), ``step``."""


@hookspec
def gantool_step_end(run: Any, step: int, logs: dict[str, float]) -> None:
    """A logged training step ended (every ``log_every`` steps) with its losses."""


@hookspec
def gantool_eval_end(run: Any, step: int, metrics: dict[str, float]) -> None:
    """An evaluation finished with its metrics."""


@hookspec
def gantool_checkpoint_saved(run: Any, step: int, path: Any) -> None:
    """A resumable checkpoint was written atomically to ``path`` (a directory)."""


@hookspec
def gantool_train_end(run: Any, metrics: dict[str, float], interrupted: bool) -> None:
    """A training run ended: finished (``interrupted=False``) or stopped by a signal."""
