"""The trainer: exact resumption, refusal of mismatched checkpoints, players' boundaries."""

import json
import os
import signal

import pytest
import torch
from safetensors.torch import load_file

from gantool.checkpoint import checkpoint_step, latest_checkpoint
from gantool.demos.gaussians import build_game
from gantool.errors import GantoolError
from gantool.plugins import GantoolPluginManager
from gantool.train import Game, Player, Stage
from gantool.train.trainer import Interrupted, Trainer, seed_everything


def _listening(listener):
    """A plugin manager with `listener` registered, as the CLI hands the trainer its plugins."""
    if listener is None:
        return None
    manager = GantoolPluginManager()
    manager.register(listener, name="listener")
    return manager


def _trainer(config, out, task="gaussians", events=None):
    seed_everything(config.seed)
    return Trainer(build_game(config), config, out, task=task, events=_listening(events),
                   quiet=True)


class StopAt:
    """A training-event listener that sends this process SIGINT at a given step."""

    def __init__(self, step):
        self.step = step

    def gantool_step_end(self, run, step, logs):
        if step == self.step:
            os.kill(os.getpid(), signal.SIGINT)


@pytest.mark.parametrize("overrides", [{}, {"penalty": "gp", "n_critic": 3, "ema_decay": 0.9}])
def test_interrupted_and_resumed_run_matches_straight_run_bit_for_bit(
        tmp_path, small_gaussians, overrides):
    config = small_gaussians(**overrides)
    _trainer(config, tmp_path / "straight").fit()
    with pytest.raises(Interrupted, match="continue with --resume"):
        _trainer(config, tmp_path / "split", events=StopAt(10)).fit()
    assert (tmp_path / "split" / "checkpoints" / "step-00000010").is_dir()
    # a stopped run leaves weights too: its last checkpoint's step tells it from a finished one
    assert (tmp_path / "split" / "model.safetensors").is_file()
    assert checkpoint_step(latest_checkpoint(tmp_path / "split")) == 10 < config.steps
    _trainer(config, tmp_path / "split").fit(resume=True)
    straight = load_file(tmp_path / "straight" / "model.safetensors")
    split = load_file(tmp_path / "split" / "model.safetensors")
    assert straight.keys() == split.keys()
    for key in straight:
        assert torch.equal(straight[key], split[key]), key
    assert checkpoint_step(latest_checkpoint(tmp_path / "split")) == config.steps
    steps = [r["step"] for r in _records(tmp_path / "split")]
    assert steps == sorted(set(steps)), "log records past the checkpoint were not dropped"


def _records(run):
    import json

    return [json.loads(line) for line in (run / "log.jsonl").read_text().splitlines()
            if json.loads(line)["event"] == "train"]


def test_resume_refuses_a_different_config_naming_the_keys(tmp_path, small_gaussians):
    _trainer(small_gaussians(), tmp_path).fit()
    with pytest.raises(GantoolError, match=r"lr_d \(0.001 -> 0.5\)"):
        _trainer(small_gaussians(lr_d=0.5), tmp_path).fit(resume=True)


def test_resume_refuses_another_tasks_checkpoint(tmp_path, small_gaussians):
    _trainer(small_gaussians(), tmp_path).fit()
    with pytest.raises(GantoolError, match="from task 'gaussians', not 'other'"):
        _trainer(small_gaussians(), tmp_path, task="other").fit(resume=True)


def test_corrupt_checkpoint_is_one_clear_error(tmp_path, small_gaussians):
    _trainer(small_gaussians(), tmp_path).fit()
    latest = tmp_path / "checkpoints" / (tmp_path / "checkpoints" / "latest").read_text().strip()
    (latest / "state.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(GantoolError, match="unreadable"):
        _trainer(small_gaussians(), tmp_path).fit(resume=True)


def test_existing_run_needs_resume(tmp_path, small_gaussians):
    _trainer(small_gaussians(), tmp_path).fit()
    with pytest.raises(GantoolError, match="add --resume"):
        _trainer(small_gaussians(), tmp_path).fit()


def test_players_update_only_their_own_networks_and_respect_every(tmp_path):
    torch.manual_seed(0)
    nets = {"G": torch.nn.Linear(2, 2), "D": torch.nn.Linear(2, 1)}
    g_before = [p.clone() for p in nets["G"].parameters()]
    turns = []

    def d_loss(ctx):
        turns.append(("D", ctx.stage_step))
        return ctx.networks["D"](ctx.networks["G"](ctx.batch[0])).mean()

    def g_loss(ctx):
        turns.append(("G", ctx.stage_step))
        return -ctx.networks["D"](ctx.networks["G"](ctx.batch[0])).mean()

    game = Game(
        networks=nets,
        players=[Player("D", ["D"], d_loss, lr=0.1), Player("G", ["G"], g_loss, lr=0.0,
                                                              every=3)],
        stages=[Stage("only", 6, ["D", "G"])],
        data=torch.utils.data.TensorDataset(torch.randn(64, 2)),
    )
    config = small_gaussians_config()
    Trainer(game, config, tmp_path, quiet=True).fit()
    assert [s for who, s in turns if who == "G"] == [0, 3]
    assert len([t for t in turns if t[0] == "D"]) == 6
    # G had learning rate 0: D's loss (through G) must not have moved it either.
    for before, after in zip(g_before, nets["G"].parameters(), strict=True):
        assert torch.equal(before, after)


def test_repeat_plays_consecutive_updates_on_the_same_step(tmp_path):
    nets = {"G": torch.nn.Linear(2, 2), "D": torch.nn.Linear(2, 1)}
    turns = []

    def loss(name):
        def play(ctx):
            turns.append((name, ctx.stage_step, id(ctx.cache)))
            return ctx.networks[name](torch.ones(1, 2)).sum()
        return play

    game = Game(
        networks=nets,
        players=[Player("G", ["G"], loss("G"), every=2, repeat=2),
                 Player("D", ["D"], loss("D"), repeat=3)],
        stages=[Stage("only", 4, ["G", "D"])],
        data=torch.utils.data.TensorDataset(torch.randn(64, 2)),
    )
    Trainer(game, small_gaussians_config(), tmp_path, quiet=True).fit()
    order = [(name, step) for name, step, _ in turns]
    assert order == ([("G", 0)] * 2 + [("D", 0)] * 3 + [("D", 1)] * 3
                     + [("G", 2)] * 2 + [("D", 2)] * 3 + [("D", 3)] * 3)
    assert len({cache for _, step, cache in turns if step == 0}) == 1  # one cache per step


def small_gaussians_config():
    from gantool.config import TrainerConfig

    return TrainerConfig(batch_size=8, device="cpu", checkpoint_every=1000)


def test_non_finite_loss_stops_with_advice(tmp_path):
    nets = {"D": torch.nn.Linear(2, 1)}
    game = Game(nets, [Player("D", ["D"], lambda ctx: torch.tensor(float("nan"),
                                                                   requires_grad=True))],
                [Stage("s", 2, ["D"])], torch.utils.data.TensorDataset(torch.randn(8, 2)))
    with pytest.raises(GantoolError, match="lower the learning rate"):
        Trainer(game, small_gaussians_config(), tmp_path, quiet=True).fit()


def test_run_writes_logs_curves_samples_and_export(tmp_path, small_gaussians):
    metrics = _trainer(small_gaussians(eval_every=10), tmp_path).fit()
    assert set(metrics) == {"modes", "high_quality_pct"}
    for name in ("log.jsonl", "losses.png", "metrics.json", "config.json", "model.safetensors"):
        assert (tmp_path / name).is_file(), name
    assert sorted(p.name for p in (tmp_path / "samples").iterdir()) == [
        "step-00000010.png", "step-00000020.png"]
    records = [json.loads(line) for line in (tmp_path / "log.jsonl").read_text().splitlines()]
    evals = [r for r in records if r["event"] == "eval"]
    assert evals and all(0 <= r["time"] < 600 for r in records if "time" in r)  # seconds in run


@pytest.mark.parametrize("precision", ["bf16", "fp16"])
def test_mixed_precision_trains_and_keeps_float32_weights(tmp_path, small_gaussians, precision):
    config = small_gaussians(precision=precision, steps=4, penalty="gp", checkpoint_every=2)
    trainer = _trainer(config, tmp_path)
    assert bool(trainer.scalers) == (precision == "fp16")  # fp16 scales its losses
    trainer.fit()
    weights = load_file(tmp_path / "model.safetensors")
    assert all(t.dtype == torch.float32 and torch.isfinite(t).all() for t in weights.values())


def test_deterministic_and_channels_last_runs_match_the_default_run(tmp_path, small_gaussians):
    _trainer(small_gaussians(), tmp_path / "plain").fit()
    _trainer(small_gaussians(deterministic=True, channels_last=True), tmp_path / "set").fit()
    torch.use_deterministic_algorithms(False)
    a, b = (load_file(tmp_path / name / "model.safetensors") for name in ("plain", "set"))
    for key in a:
        assert torch.equal(a[key], b[key])


def test_interrupted_run_exports_usable_weights_and_can_be_lengthened(tmp_path, small_gaussians):
    with pytest.raises(Interrupted):
        _trainer(small_gaussians(), tmp_path, events=StopAt(5)).fit()
    from gantool.checkpoint import load_weights

    _, metadata = load_weights(tmp_path / "model.safetensors", task="gaussians")
    assert metadata["step"] == "5"
    trainer = _trainer(small_gaussians(steps=30), tmp_path)
    trainer.fit(resume=True)
    assert trainer.step == 30


def test_a_finished_run_can_be_lengthened_on_resume(tmp_path, small_gaussians):
    _trainer(small_gaussians(steps=10), tmp_path).fit()
    trainer = _trainer(small_gaussians(steps=16), tmp_path)
    trainer.fit(resume=True)
    steps = [r["step"] for r in _records(tmp_path)]
    assert trainer.step == 16 and steps[-1] == 16 and steps == sorted(set(steps))


def test_a_raising_event_hook_is_reported_once_and_training_goes_on(tmp_path, capsys,
                                                                    small_gaussians):
    class Broken:
        calls = 0

        def gantool_step_end(self, run, step, logs):
            Broken.calls += 1
            raise RuntimeError("dashboard down")

    manager = GantoolPluginManager()
    manager.register(Broken(), name="broken-logger")
    config = small_gaussians(steps=5)
    Trainer(build_game(config), config, tmp_path, events=manager, quiet=True).fit()
    err = capsys.readouterr().err
    assert Broken.calls == 1 and err.count("dashboard down") == 1
    assert (tmp_path / "model.safetensors").is_file()


def test_what_a_plugin_names_in_gantool_run_files_belongs_to_the_run(tmp_path,
                                                                    small_gaussians):
    class Dashboard:
        def gantool_run_files(self):
            return ["dashboard"]

    (tmp_path / "dashboard").mkdir()
    config = small_gaussians(steps=2)
    with pytest.raises(GantoolError, match=r"not a training run's \(dashboard\)"):
        _trainer(config, tmp_path).fit()
    _trainer(config, tmp_path, events=Dashboard()).fit()
    assert (tmp_path / "model.safetensors").is_file()


class _Augmented(torch.utils.data.Dataset):
    """A sample plus a random 'augmentation' drawn from the global RNG, as crops are."""

    def __len__(self):
        return 10

    def __getitem__(self, index):
        return torch.tensor([float(index), torch.rand(()).item()])


def test_worker_augmentations_replay_exactly_on_resume_whatever_the_worker_count():
    from gantool.train.data import BatchStream

    def batches(stream, n):
        return [next(stream) for _ in range(n)]

    straight = batches(BatchStream(_Augmented(), 4, seed=3, num_workers=2), 6)
    first = BatchStream(_Augmented(), 4, seed=3, num_workers=1)
    head = batches(first, 2)
    resumed = BatchStream(_Augmented(), 4, seed=3, num_workers=2, **first.state())
    replay = head + batches(resumed, 4)
    assert all(torch.equal(a, b) for a, b in zip(straight, replay, strict=True))
    assert len({round(float(b[0, 1]), 6) for b in straight}) > 1  # the draws do vary
