"""A disk that fills while a training writes: one line, the last checkpoint intact, and
`--resume` goes on once there is space again."""

import pytest
import torch
from safetensors import SafetensorError

from gantool import checkpoint
from gantool.errors import GantoolError
from gantool.testing import one_line_error

TINY = ["--steps", "4", "--checkpoint-every", "2", "--batch-size", "32", "--hidden", "16",
        "--z-dim", "4", "--quiet", "--device", "cpu"]


def test_a_full_disk_at_a_checkpoint_keeps_the_last_one_for_resume(run_cli, tmp_path,
                                                                  monkeypatch):
    save_file, calls = checkpoint.save_file, []

    def fills_up(tensors, filename, metadata=None):
        calls.append(filename)
        if len(calls) == 2:  # the second checkpoint: the disk is full
            raise SafetensorError("Error while serializing: IoError(Os { code: 28, kind: "
                                  "StorageFull, message: \"No space left on device\" })")
        save_file(tensors, filename, metadata=metadata)

    monkeypatch.setattr(checkpoint, "save_file", fills_up)
    run = tmp_path / "run"
    err = one_line_error(run_cli("train", "gaussians", "--out", run, *TINY),
                         "No space left on device; free some disk space")
    assert "step-00000002, is intact" in err and "--resume" in err
    folder = run / "checkpoints"
    assert sorted(p.name for p in folder.iterdir()) == ["latest", "step-00000002"]
    assert (folder / "latest").read_text().strip() == "step-00000002"
    monkeypatch.setattr(checkpoint, "save_file", save_file)
    code, out, err = run_cli("train", "gaussians", "--out", run, "--resume", *TINY)
    assert code == 0, err
    assert checkpoint.checkpoint_step(checkpoint.latest_checkpoint(run)) == 4


def test_a_full_disk_when_exporting_leaves_no_partial_file(tmp_path, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(checkpoint, "save_file", full)
    with pytest.raises(GantoolError, match="No space left on device; free some disk space"):
        checkpoint.save_weights(tmp_path / "model.safetensors", {"w": torch.ones(2)}, {})
    assert list(tmp_path.iterdir()) == []
