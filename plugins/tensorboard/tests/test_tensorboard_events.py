"""The plugin end to end through the real CLI and entry point: a demo training with the switch
on is read back with TensorBoard's own reader; with it off nothing is written."""

from pathlib import Path

import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

TINY = ("--batch-size", "16", "--hidden", "8", "--z-dim", "2", "--log-every", "2",
        "--eval-every", "3", "--checkpoint-every", "3", "--quiet", "--device", "cpu")


def _board(run: Path) -> EventAccumulator:
    board = EventAccumulator(str(run / "tensorboard"), size_guidance={"images": 0, "scalars": 0})
    board.Reload()
    return board


def _steps(board: EventAccumulator, tag: str) -> list[int]:
    return [event.step for event in board.Scalars(tag)]


@pytest.fixture
def switch_on(monkeypatch):
    monkeypatch.setenv("GANTOOL_TENSORBOARD", "1")


def test_a_run_logs_losses_metrics_samples_and_config(run_cli, tmp_path, switch_on):
    run = tmp_path / "run"
    code, _, err = run_cli("train", "gaussians", "--steps", "6", "--out", run, *TINY)
    assert code == 0, err
    board = _board(run)
    assert _steps(board, "D/loss") == _steps(board, "G/loss") == [2, 4, 6]
    assert _steps(board, "eval/modes") == [3, 6]
    assert [image.step for image in board.Images("samples")] == [3, 6]
    assert sorted(p.name for p in (run / "samples").iterdir()) == [
        "step-00000003.png", "step-00000006.png"]
    config = board.Tensors("config/text_summary")[0].tensor_proto.string_val[0].decode()
    assert '"batch_size": 16' in config


def test_a_resumed_run_appends_without_repeating_steps(run_cli, tmp_path, switch_on):
    """`--resume` is accepted although the folder holds `tensorboard/` (`gantool_run_files`)."""
    run = tmp_path / "run"
    assert run_cli("train", "gaussians", "--steps", "6", "--out", run, *TINY)[0] == 0
    code, _, err = run_cli("train", "gaussians", "--steps", "8", "--resume", "--out", run, *TINY)
    assert code == 0, err
    board = _board(run)
    assert _steps(board, "D/loss") == [2, 4, 6, 8]
    assert _steps(board, "eval/modes") == [3, 6, 8]
    assert [image.step for image in board.Images("samples")] == [3, 6, 8]


@pytest.mark.parametrize("value", [None, "0", "no"])
def test_without_the_switch_nothing_is_written(run_cli, tmp_path, monkeypatch, value):
    if value is None:
        monkeypatch.delenv("GANTOOL_TENSORBOARD", raising=False)
    else:
        monkeypatch.setenv("GANTOOL_TENSORBOARD", value)
    run = tmp_path / "run"
    code, _, err = run_cli("train", "gaussians", "--steps", "2", "--out", run, *TINY)
    assert code == 0, err
    assert not (run / "tensorboard").exists()


def test_a_failing_board_is_reported_once_and_the_training_goes_on(run_cli, tmp_path,
                                                                    monkeypatch, switch_on):
    from gantool_tensorboard import board

    def refuse(*_args):
        raise PermissionError("read-only folder")

    monkeypatch.setattr(board, "Board", refuse)
    run = tmp_path / "run"
    code, _, err = run_cli("train", "gaussians", "--steps", "4", "--out", run, *TINY)
    assert code == 0, err
    assert err.count("warning: plugin 'tensorboard' failed in gantool_train_start "
                     "(PermissionError: read-only folder); it is disabled for this run") == 1
    assert (run / "model.safetensors").is_file()
