"""What a training keeps of itself: checkpoints it resumes from exactly, the exported model with
its lineage, and the weights a warm start loads into a fresh run.

Functions of the `Trainer`, whose state they write and read back, kept apart from the loop that
plays the game.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from torch import Tensor

from gantool import __version__
from gantool.checkpoint import latest_checkpoint, load_checkpoint, save_checkpoint, save_weights
from gantool.config import differing_keys, option_defaults, resumable_keys
from gantool.errors import GantoolError
from gantool.metadata import join_networks, split_networks
from gantool.train.context import _seed_for
from gantool.train.distributed import gather_objects
from gantool.train.state import TrainingState, capture_rng, restore_rng, seed_everything
from gantool.train.warm_start import WarmStart, load_warm_start, segment

if TYPE_CHECKING:
    from gantool.train.trainer import Trainer


def write_checkpoint(trainer: Trainer) -> Path | None:
    """A checkpoint of the step reached, with every process's random streams; written by the
    main process (the others return None)."""
    rngs = gather_objects(capture_rng(trainer.device), trainer.dist)
    if not trainer.dist.is_main:
        return None
    state = TrainingState(
        task=trainer.task, version=__version__, step=trainer.step, stream=trainer.stream_state,
        optimizers={n: o.state_dict() for n, o in trainer.optimizers.items()},
        scalers={n: s.state_dict() for n, s in trainer.scalers.items()},
        rng=rngs, config=trainer.config_dict, metrics=trainer.metrics, lineage=trainer.lineage,
        started_from=trainer.started_from,
    )
    return save_checkpoint(trainer.out_dir, trainer.step, _tensors(trainer), state.encode(),
                           trainer.config.keep_checkpoints)


def _tensors(trainer: Trainer) -> dict[str, Tensor]:
    tensors = join_networks("networks", {n: m.state_dict() for n, m in trainer.networks.items()})
    tensors.update(join_networks("ema", {n: e.network.state_dict()
                                         for n, e in trainer.emas.items()}))
    return tensors


def restore(trainer: Trainer) -> bool:
    """Continue from the run directory's last checkpoint (False when it holds none), refusing
    one of another task or of other settings than those a resume may change."""
    path = latest_checkpoint(trainer.out_dir)
    if path is None:
        return False
    tensors, raw = load_checkpoint(path)
    state = TrainingState.decode(raw)
    if state.task != trainer.task:
        raise GantoolError(
            f"checkpoint {path} is from task {state.task!r}, not {trainer.task!r}; "
            "use another --out directory"
        )
    saved_config = state.config
    changed = differing_keys(saved_config, trainer.config_dict,
                             resumable_keys(type(trainer.config)),
                             option_defaults(type(trainer.config)))
    if changed:
        details = ", ".join(
            f"{k} ({saved_config.get(k)!r} -> {trainer.config_dict.get(k)!r})" for k in changed
        )
        raise GantoolError(
            f"the config differs from the checkpoint's in {details}; resume with the same "
            "settings or train into a new --out directory"
        )
    for name, net_state in split_networks(tensors, "networks").items():
        trainer.networks[name].load_state_dict(net_state)
    for name, net_state in split_networks(tensors, "ema").items():
        if name in trainer.emas:
            trainer.emas[name].network.load_state_dict(net_state)
    for name, opt_state in state.optimizers.items():
        trainer.optimizers[name].load_state_dict(opt_state)
    for name, scaler_state in state.scalers.items():
        if name in trainer.scalers:
            trainer.scalers[name].load_state_dict(scaler_state)
    _restore_rng(trainer, state)
    trainer.step = state.step
    trainer.stage_index, trainer.stage_step = _position(trainer, trainer.step)
    trainer.stream_state = state.stream
    trainer.metrics = state.metrics
    trainer.lineage, trainer.started_from = state.lineage, state.started_from
    trainer.run.step = trainer.step
    trainer.log.truncate_after(trainer.step)
    return True


def _position(trainer: Trainer, step: int) -> tuple[int, int]:
    """(stage index, step within it) of a global step under the current stage lengths, so a
    resumed run whose step counts were changed continues in the right stage."""
    for index, stage in enumerate(trainer.game.stages):
        if step < stage.steps:
            return index, step
        step -= stage.steps
    return len(trainer.game.stages), 0


def _restore_rng(trainer: Trainer, state: TrainingState) -> None:
    """Each process continues its own random streams; a run resumed with another number of
    processes starts fresh per-process streams from (seed, step, rank)."""
    dist = trainer.dist
    if len(state.rng) == dist.world_size:
        restore_rng(state.rng[dist.rank], trainer.device)
        return
    if dist.is_main:
        print(f"notice: the checkpoint was written by {len(state.rng)} process(es), this "
              f"run has {dist.world_size}; random streams restart from step "
              f"{state.step}", file=sys.stderr)
    seed_everything(_seed_for(trainer.config.seed, "resume", state.step, dist.rank))


def warm_start(trainer: Trainer, start: WarmStart) -> None:
    """Load `--init` weights into a fresh run; the optimizers start fresh."""
    load_warm_start(start, trainer.networks, {n: e.network for n, e in trainer.emas.items()})
    trainer.lineage, trainer.started_from = start.lineage, start.sha256
    if trainer.dist.is_main:
        loaded = [*start.states, *trainer.game.warm_started]
        fresh = [n for n in trainer.networks if n not in loaded]
        shape = ", ".join(f"{k}={v}" for k, v in start.architecture.items())
        print(f"notice: loaded {', '.join(loaded)} from {start.path} (sha256 "
              f"{start.sha256[:12]}" + (f"; its architecture: {shape}" if shape else "")
              + ")" + (f"; {', '.join(fresh)} start fresh" if fresh else ""),
              file=sys.stderr)


def export_model(trainer: Trainer) -> Path | None:
    """`model.safetensors`: the game's exported networks (their EMA copies where kept), the
    config and metadata that load them back, and the lineage that made them."""
    if not trainer.game.export or not trainer.dist.is_main:
        return None
    nets = trainer.eval_networks()
    tensors = join_networks("networks", {n: nets[n].state_dict() for n in trainer.game.export})
    path = trainer.out_dir / "model.safetensors"
    save_weights(path, tensors, {
        "task": trainer.task, "gantool": __version__, "step": str(trainer.step),
        "config": json.dumps(trainer.config_dict),
        "networks": json.dumps(list(trainer.game.export)),
        "lineage": json.dumps(_lineage(trainer)),
        **trainer.game.metadata,
    })
    return path


def _lineage(trainer: Trainer) -> list[dict[str, Any]]:
    """The segments that made the exported weights: the file's, then this run's."""
    return [*trainer.lineage, segment(trainer.task, trainer.step, trainer.config_dict,
                                      type(trainer.config), trainer.started_from)]
