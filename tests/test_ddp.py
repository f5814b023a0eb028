"""Two processes under torchrun (gloo, CPU) train the same model as one process."""

import subprocess
import sys

import torch
from safetensors.torch import load_file

ARGS = ["train", "gaussians", "--steps", "8", "--batch-size", "32", "--hidden", "16",
        "--z-dim", "4", "--quiet", "--device", "cpu", "--threads", "1", "--log-every", "1"]


def test_two_processes_match_one_with_the_same_global_batch(tmp_path):
    single, double = tmp_path / "one", tmp_path / "two"
    subprocess.run([sys.executable, "-m", "gantool.cli", *ARGS, "--out", str(single)],
                   check=True, capture_output=True)
    subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone",
                    "--nproc-per-node", "2", "-m", "gantool.cli", *ARGS, "--out", str(double)],
                   check=True, capture_output=True)
    a = load_file(single / "model.safetensors")
    b = load_file(double / "model.safetensors")
    assert a.keys() == b.keys()
    for key in a:
        torch.testing.assert_close(a[key], b[key], rtol=1e-4, atol=1e-5)
    losses = [_losses(run) for run in (single, double)]
    assert len(losses[0]) == 8
    torch.testing.assert_close(losses[0], losses[1], rtol=1e-4, atol=1e-5)


def _losses(run):
    import json

    records = [json.loads(line) for line in (run / "log.jsonl").read_text().splitlines()]
    return torch.tensor([r["D/loss"] for r in records if r["event"] == "train"])
