"""Every registered task's game, played on a stand-in GPU (the meta device, see fake_gpu.py):
each player's loss, the evaluation and the snapshot. A CPU tensor meeting a device tensor,
or a value read back from the device inside a loss, fails here as it would on a real GPU,
with no GPU on the machine."""

from __future__ import annotations

import pytest
import torch
from fake_gpu import DEVICE, ReadBackFromGPU, fake_gpu, in_a_loss
from torch.utils.data import DataLoader

from gantool.config import build
from gantool.imports import import_object
from gantool.plugins import load_plugins
from gantool.train.context import StepContext
from gantool.train.hardware import to_device
from gantool.train.trainer import seed_everything

TRAINABLE = [spec for spec in load_plugins().tasks if spec.train is not None]


def test_every_trainable_task_declares_a_smoke_run():
    missing = [spec.name for spec in TRAINABLE if spec.smoke is None]
    assert not missing, f"declare smoke= for {missing}"


@pytest.mark.parametrize("spec", [s for s in TRAINABLE if s.smoke], ids=lambda s: s.name)
def test_the_game_runs_on_a_stand_in_gpu(spec, tmp_path):
    config = build(spec.train.options_class(), import_object(spec.smoke)(tmp_path / "data"),
                   {"device": "cpu", "num_workers": 0})
    seed_everything(config.seed)
    game = spec.train.load()(config)
    batch = next(iter(DataLoader(game.data, batch_size=min(4, len(game.data)),
                                 collate_fn=game.collate)))
    with fake_gpu():
        networks = {name: net.to(DEVICE) for name, net in game.networks.items()}
        for stage in game.stages:  # every stage: pretraining losses differ from adversarial
            ctx = StepContext(batch=to_device(batch, DEVICE), networks=networks, step=0,
                              stage=stage.name, stage_step=0, stage_steps=stage.steps,
                              seed=config.seed, device=DEVICE)
            for name in stage.players:
                player = next(p for p in game.players if p.name == name)
                try:
                    with in_a_loss():
                        output = player.loss(ctx)
                except ReadBackFromGPU as exc:
                    pytest.fail(f"player {name!r} reads back from the GPU: {exc}")
                loss = output[0] if isinstance(output, tuple) else output
                assert loss.device == DEVICE and loss.dim() == 0, name
                loss.backward(inputs=[p for n in player.networks
                                      for p in networks[n].parameters() if p.requires_grad])
        for net in networks.values():
            net.eval()
        with torch.no_grad():
            if game.evaluate is not None:
                game.evaluate(networks)
            if game.snapshot is not None:
                game.snapshot(networks, tmp_path / "snapshot.png")


def test_the_stand_in_catches_a_forgotten_move_and_a_read_back_in_a_loss():
    net = torch.nn.Linear(2, 1).to(DEVICE)
    with fake_gpu():
        with pytest.raises(RuntimeError, match="not on the expected device"):
            net(torch.zeros(3, 2))  # evaluation code that forgot `.to(device_of(net))`
        loss = net(torch.zeros(3, 2).to(DEVICE)).mean()
        with pytest.raises(ReadBackFromGPU), in_a_loss():
            loss.item()
        assert net(torch.zeros(3, 2).to(DEVICE)).cpu().numpy().shape == (3, 1)
