"""The plugin contract: every hook a gantool plugin may implement.

A plugin is a module (or object) exposed through the `gantool` entry-point group whose
functions are named after these hooks and marked with `gantool.hookimpl` (the marker is
optional for plain module functions with the exact hook name). Registration hooks receive a
`register` callable and must only hand over metadata and import paths, so that listing tasks
and `--help` stay fast; heavy code is imported when a task runs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from gantool.events import RunInfo

hookspec = pluggy.HookspecMarker("gantool")
hookimpl = pluggy.HookimplMarker("gantool")


@hookspec
def gantool_register_tasks(register: Callable[..., None]) -> None:
    """Register applications, one call per task, with the keywords of
    `gantool.registry.TaskSpec`:

        register(
            name="pix2pix", summary="paired image-to-image translation",
            train=("pkg.training:build_game", "pkg.config:TrainConfig"),
            evaluate=("pkg.evaluation:evaluate", "pkg.config:EvalOptions"),
            run=("pkg.inference:run", "pkg.config:RunOptions"),
            networks="pkg.models:build_networks",
            smoke="pkg.smoke:smoke",
            onnx="pkg.export:onnx_graphs",
            shipped="pkg.inference:SHIPPED",
        )

    Each verb is (implementation, options dataclass); leave out the verbs a task lacks.
    The run's implementation is a `gantool.run.Run`: what the run reads, loads, predicts and
    writes, which the core runs with every promise of `gantool run`.
    `networks(config, metadata)` builds the networks from the training config and the
    exported metadata; training and `gantool.models.load_model` both call it.
    `smoke(folder)` returns the options of a training of a few seconds on data it writes.
    `onnx(model)` (optional) takes the `gantool.models.LoadedModel` and returns the
    `gantool.export.OnnxGraph` records of its inference networks; `gantool export` traces
    them, checks each on ONNX Runtime against PyTorch and writes them.
    `shipped` (optional) names the task's default model, a `Path` or a function of the
    training config returning one: `gantool train TASK --init shipped` fine-tunes it, and
    `gantool run TASK` reads a `Path` one when no `--weights` is given.
    """


@hookspec
def gantool_register_datasets(register: Callable[..., None]) -> None:
    """Register data recipes for `gantool data build`:
    `register(name=..., summary=..., builder="pkg.mod:build", needs_source=False)`.

    The builder is called as `builder(source: Path | None, out: Path, seed: int) -> Path`
    and should write through `gantool.files.atomic_dir`, so an interrupted build leaves
    nothing behind. A recipe that reads several folders names them instead,
    `sources=("MNIST idx files", "colour photographs")`: the user passes one `--source` for
    each, in that order, and the builder receives them as a tuple of paths.
    """


@hookspec
def gantool_register_losses(register: Callable[..., None]) -> None:
    """Register adversarial objectives: `register(name=..., target="pkg.mod:Objective")`.

    The target must follow `gantool.losses.Objective` (`d_loss` and `g_loss`); a
    config selects it by name through `gantool.losses.get_objective`.
    """


@hookspec
def gantool_register_commands(app: Any) -> None:
    """Add commands to the CLI: `app` is the root `typer.Typer`; keep imports inside them."""


@hookspec
def gantool_train_start(run: RunInfo) -> None:
    """A training run starts, fresh or resumed.

    Every training event receives `run` (`gantool.events.RunInfo`: `task`,
    `out_dir`, `config` as a dict, `step`) and fires on the main process only. An
    implementation that raises is reported once and disabled; the training goes on.
    """


@hookspec
def gantool_step_end(run: RunInfo, step: int, logs: dict[str, float]) -> None:
    """A logged training step ended (every `log_every` steps) with its losses."""


@hookspec
def gantool_eval_end(run: RunInfo, step: int, metrics: dict[str, float]) -> None:
    """An evaluation finished with its metrics."""


@hookspec
def gantool_checkpoint_saved(run: RunInfo, step: int, path: Path) -> None:
    """A resumable checkpoint was written atomically to `path` (a directory)."""


@hookspec
def gantool_train_end(run: RunInfo, metrics: dict[str, float], interrupted: bool) -> None:
    """A training run ended: finished (`interrupted=False`) or stopped by a signal."""


@hookspec
def gantool_run_files() -> list[str]:
    """Names of the files or folders that this plugin's training-event hooks write into run
    directories (a logger's `tensorboard`), so a run folder holding them is still taken for
    a run's: a training, `--resume` included, refuses folders holding anything else."""
