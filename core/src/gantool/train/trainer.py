"""The trainer: plays a `Game` with checkpoints, exact resumption, logging and distribution."""

from __future__ import annotations

import json
import math
import signal
import time
from collections.abc import Callable
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import pluggy
import torch
from torch import Tensor, nn

from gantool.checkpoint import latest_checkpoint
from gantool.config import TrainerConfig, to_dict
from gantool.errors import GantoolError
from gantool.events import Events, RunInfo
from gantool.files import atomic_write_text
from gantool.train.checkpoints import export_model, restore, warm_start, write_checkpoint
from gantool.train.context import StepContext, _seed_for
from gantool.train.data import BatchStream
from gantool.train.distributed import (
    average_gradients,
    barrier,
    broadcast_parameters,
    mean_across,
    setup,
)
from gantool.train.ema import EMA
from gantool.train.game import Game, Player
from gantool.train.hardware import (
    autocast,
    autocast_dtype,
    make_deterministic,
    resolve_device,
    synchronise_batch_norm,
    to_device,
)
from gantool.train.lock import check_run_folder, run_lock
from gantool.train.logs import JsonlLog, plot_losses
from gantool.train.optim import build_optimizer, trained_params
from gantool.train.progress import Progress
from gantool.train.state import seed_everything
from gantool.train.warm_start import WarmStart, read_warm_start, warmup_factor


class Interrupted(GantoolError):
    """Training stopped by SIGINT/SIGTERM after saving a checkpoint."""

    exit_code = 130


class Trainer:
    """Runs a game's stages step by step.

    Per step: draw one batch; each player of the stage whose turn it is computes its loss
    (under autocast when asked), back-propagates into its own parameters only, averages
    gradients across processes, clips and steps; then EMA, logging, evaluation, snapshots and
    checkpoints as configured.
    """

    def __init__(
        self,
        game: Game,
        config: TrainerConfig,
        out_dir: Path,
        *,
        task: str = "custom",
        events: pluggy.PluginManager | None = None,
        quiet: bool = False,
    ) -> None:
        game.check()
        self.game = game
        self.config = config
        self.config_dict = to_dict(config)
        self.out_dir = Path(out_dir)
        self.task = task
        self.events = Events(events)
        self.quiet = quiet
        self.device = resolve_device(config.device)
        if config.deterministic:
            make_deterministic()
        self.dist = setup(self.device.type)
        if self.dist.enabled and self.device.type == "cuda":
            self.device = torch.device("cuda", self.dist.local_rank)
        if config.threads > 0:
            torch.set_num_threads(config.threads)
        self.dtype = autocast_dtype(config.precision, self.device)
        networks = game.networks
        if self.dist.enabled:
            networks = synchronise_batch_norm(networks, self.device)
        layout = torch.channels_last if config.channels_last else torch.preserve_format
        self.networks = {name: net.to(self.device, memory_format=layout)
                         for name, net in networks.items()}
        self.players = {p.name: p for p in game.players}
        self.params = {
            p.name: trained_params([self.networks[n] for n in p.networks])
            for p in game.players
        }
        self.optimizers = {
            p.name: build_optimizer(p, self.params[p.name]) for p in game.players
        }
        self.scalers = {p.name: torch.amp.GradScaler(self.device.type)
                        for p in game.players if self.dtype == torch.float16}
        self.emas = (
            {name: EMA(self.networks[name], config.ema_decay) for name in game.ema}
            if config.ema_decay > 0 else {}
        )
        if config.compile:
            for net in self.networks.values():
                net.compile()
        self.finite: dict[str, list[Tensor]] = {}
        """Per player, whether each loss since the last check was finite (checked in one
        read-back per log record, not one per update)."""
        self.step = 0
        self.stage_index = 0
        self.stage_step = 0
        self.stream_state = {"epoch": 0, "position": 0}
        self.started = time.time()  # reset by `fit`
        self.metrics: dict[str, float] = {}
        self.lineage: list[dict[str, Any]] = []
        """The segments before this run's (a warm start's file's), for the exported lineage."""
        self.started_from: str | None = None
        """sha256 of the weights a warm start loaded."""
        self._stop_signal: int | None = None
        self.run = RunInfo(task, self.out_dir, self.config_dict)
        self.log = JsonlLog(self.out_dir / "log.jsonl")

    # ----------------------------------------------------------------- events
    def _emit(self, name: str, **kwargs: Any) -> None:
        if self.dist.is_main:
            self.events.emit(name, run=self.run, **kwargs)

    # ------------------------------------------------------------- checkpoint
    def save(self) -> Path | None:
        """A checkpoint of the step reached (`write_checkpoint`), once every loss since the
        last check is known to be finite."""
        self._check_finite()
        path = write_checkpoint(self)
        if path is not None:
            self._emit("gantool_checkpoint_saved", step=self.step, path=path)
        barrier(self.dist)
        return path

    # ----------------------------------------------------------------- playing
    def _play(self, player: Player, ctx: StepContext, progress: float) -> dict[str, Tensor]:
        optimizer = self.optimizers[player.name]
        factor = player.lr_schedule(progress) * warmup_factor(self.step,
                                                              self.config.warmup_steps)
        for group in optimizer.param_groups:
            group["lr"] = player.lr * factor
        with autocast(self.dtype, self.device):
            output = player.loss(ctx)
        loss, extra = output if isinstance(output, tuple) else (output, {})
        self.finite.setdefault(player.name, []).append(torch.isfinite(loss.detach()))
        params = self.params[player.name]
        for p in params:
            p.grad = None
        scaler = self.scalers.get(player.name)
        (scaler.scale(loss) if scaler else loss).backward(inputs=params)
        if self.dist.enabled:
            average_gradients(params, self.dist.world_size)
        if scaler:
            scaler.unscale_(optimizer)
        if player.grad_clip is not None:
            torch.nn.utils.clip_grad_norm_(params, player.grad_clip)
        if scaler:
            scaler.step(optimizer)
            scaler.update()
        else:
            optimizer.step()
        if player.weight_clip is not None:
            with torch.no_grad():
                for p in params:
                    p.clamp_(-player.weight_clip, player.weight_clip)
        logs = {f"{player.name}/loss": loss.detach()}
        for key, value in extra.items():
            logs[f"{player.name}/{key}"] = value.detach() if isinstance(value, Tensor) else value
        return logs

    def eval_networks(self) -> dict[str, nn.Module]:
        """The networks evaluation and export use: EMA copies where kept."""
        return {n: self.emas[n].network if n in self.emas else m for n, m in self.networks.items()}

    @contextmanager
    def _eval_mode(self):
        nets = self.eval_networks()
        modes = {n: m.training for n, m in nets.items()}
        for m in nets.values():
            m.eval()
        try:
            with torch.no_grad():
                yield nets
        finally:
            for n, m in nets.items():
                m.train(modes[n])

    def evaluate(self) -> dict[str, float]:
        if self.game.evaluate is None or not self.dist.is_main:
            return {}
        with self._eval_mode() as nets:
            metrics = {k: float(v) for k, v in self.game.evaluate(nets).items()}
        self.metrics = metrics
        self.log.write({"event": "eval", "step": self.step, "time": self._elapsed(), **metrics})
        self._emit("gantool_eval_end", step=self.step, metrics=metrics)
        return metrics

    def snapshot(self) -> None:
        if self.game.snapshot is None or not self.dist.is_main:
            return
        folder = self.out_dir / "samples"
        folder.mkdir(exist_ok=True)
        with self._eval_mode() as nets:
            self.game.snapshot(nets, folder / f"step-{self.step:08d}.png")

    def _on_signal(self, signum: int, _frame: Any) -> None:
        self._stop_signal = signum

    @contextmanager
    def _signals(self):
        try:
            previous = {s: signal.signal(s, self._on_signal)
                        for s in (signal.SIGINT, signal.SIGTERM)}
        except ValueError:  # not the main thread: no handlers
            yield
            return
        try:
            yield
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)

    def fit(self, resume: bool = False) -> dict[str, float]:
        """Play every stage to the end (or from the last checkpoint) and return final metrics.

        One process at a time trains into a run directory (`lock.run_lock`), and `--resume`
        without a checkpoint is refused rather than silently starting again.
        """
        check_run_folder(self.out_dir, set(self.game.writes) | self.events.run_files())
        start = (read_warm_start(self.config.init, self.task, self.config, self.networks,
                                 self.config.init_networks, tuple(self.game.warm_started),
                                 self.game.metadata)
                 if self.config.init and not resume else None)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        lock = run_lock(self.out_dir) if self.dist.is_main else nullcontext()
        with lock:
            return self._fit(resume, start)

    def _fit(self, resume: bool, start: WarmStart | None = None) -> dict[str, float]:
        if resume and not restore(self):
            raise GantoolError(f"--resume: {self.out_dir} holds no checkpoint to continue; "
                               "drop --resume to start this run from scratch")
        if not resume and latest_checkpoint(self.out_dir) is not None:
            raise GantoolError(
                f"{self.out_dir} already holds a training run; add --resume to continue it "
                "or choose another --out directory"
            )
        if start is not None:
            warm_start(self, start)
        if self.dist.enabled:
            broadcast_parameters(list(self.networks.values()))
            if self.step == 0:  # each process its own stream (dropout, penalty mixes, noise)
                seed_everything(_seed_for(self.config.seed, "rank", self.dist.rank))
        if self.dist.is_main:
            atomic_write_text(self.out_dir / "config.json", json.dumps(self.config_dict, indent=2))
            if self.game.on_start is not None:
                self.game.on_start(self.out_dir)
        stream = BatchStream(
            self.game.data, self.config.batch_size, self.config.seed, rank=self.dist.rank,
            world_size=self.dist.world_size, collate=self.game.collate,
            num_workers=self.config.num_workers, pin_memory=self.device.type == "cuda",
            **self.stream_state,
        )
        self._emit("gantool_train_start")
        total = self.game.total_steps
        show = self.dist.is_main and not self.quiet
        window: dict[str, list[float]] = {}
        self.started = time.time()
        with self._signals(), Progress(total, self.step, show) as bar:
            while self.stage_index < len(self.game.stages):
                stage = self.game.stages[self.stage_index]
                players = [self.players[name] for name in stage.players]
                while self.stage_step < stage.steps:
                    if self._stop_signal is not None:
                        return self._interrupt(bar)
                    batch = to_device(next(stream), self.device, self.config.channels_last)
                    ctx = StepContext(
                        batch=batch, networks=self.networks, step=self.step, stage=stage.name,
                        stage_step=self.stage_step, stage_steps=stage.steps,
                        seed=self.config.seed, device=self.device, rank=self.dist.rank,
                        world_size=self.dist.world_size,
                    )
                    progress = self.stage_step / max(1, stage.steps)
                    for player in players:
                        if self.stage_step % player.every != 0:
                            continue
                        for _ in range(player.repeat):
                            for key, value in self._play(player, ctx, progress).items():
                                window.setdefault(key, []).append(value)
                    for ema in self.emas.values():
                        ema.update()
                    self.step += 1
                    self.stage_step += 1
                    self.run.step = self.step
                    self.stream_state = stream.state()
                    self._periodic(stage.name, window, bar)
                self.stage_index += 1
                self.stage_step = 0
            final = self.evaluate() or self.metrics
            self.snapshot()
            self.save()
            export_model(self)
        self._finish(final, interrupted=False)
        return final

    def _elapsed(self) -> float:
        """Seconds since this process's `fit` began: the `time` of every log record."""
        return round(time.time() - self.started, 3)

    def _periodic(self, stage: str, window: dict[str, list], bar: Progress) -> None:
        cfg = self.config
        last = self.stage_step == self.game.stages[self.stage_index].steps
        if self.step % cfg.log_every == 0 or last:
            self._check_finite()
            means = mean_across(window, self.device, self.dist.world_size)
            window.clear()
            if self.dist.is_main and means:
                self.log.write({"event": "train", "step": self.step, "stage": stage,
                                "time": self._elapsed(), **means})
                self._emit("gantool_step_end", step=self.step, logs=means)
            bar.update(stage, self.step, means)
        else:
            bar.update(stage, self.step)
        at_end = self.step == self.game.total_steps
        if cfg.eval_every and self.step % cfg.eval_every == 0 and not at_end:
            metrics = self.evaluate()
            if metrics:
                bar.print(f"step {self.step}: " + "  ".join(
                    f"{k} {v:.4g}" for k, v in metrics.items() if math.isfinite(v)))
            if not cfg.sample_every:
                self.snapshot()
        if cfg.sample_every and self.step % cfg.sample_every == 0 and not at_end:
            self.snapshot()
        if cfg.checkpoint_every and self.step % cfg.checkpoint_every == 0 and not at_end:
            self.save()

    def _check_finite(self) -> None:
        """Stop with one line when a loss became NaN or infinite since the last check."""
        for name, flags in self.finite.items():
            if flags and not bool(torch.stack(flags).all()):
                raise GantoolError(
                    f"player {name!r} loss became NaN or infinite within the {len(flags)} "
                    f"updates before step {self.step}; lower the learning rate or enable a "
                    "stabiliser (gradient penalty, clipping)")
        self.finite.clear()

    def _interrupt(self, bar: Progress) -> dict[str, float]:
        path = self.save()
        export_model(self)  # usable weights of the step reached; --resume continues it
        bar.print(f"stopped by signal {self._stop_signal} at step {self.step}")
        self._finish(self.metrics, interrupted=True)
        raise Interrupted(
            f"training stopped at step {self.step}; checkpoint saved in {path or self.out_dir}; "
            "continue with --resume"
        )

    def _finish(self, metrics: dict[str, float], interrupted: bool) -> None:
        if self.dist.is_main:
            atomic_write_text(self.out_dir / "metrics.json", json.dumps(metrics, indent=2))
            records = self.log.records()
            if records:
                plot_losses(records, self.out_dir / "losses.png")
        self._emit("gantool_train_end", metrics=metrics, interrupted=interrupted)


def train(
    build: Callable[[], Game], config: TrainerConfig, out_dir: Path, *, task: str = "custom",
    resume: bool = False, events: pluggy.PluginManager | None = None, quiet: bool = False,
) -> dict[str, float]:
    """Seed, build the game, and fit it: the one-call entry point for downstream code."""
    seed_everything(config.seed)
    game = build()
    return Trainer(game, config, out_dir, task=task, events=events, quiet=quiet).fit(resume)
