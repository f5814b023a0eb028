"""The GPU smoke script's dry run on the CPU: every task trains, the resume check runs, and
the timings are written (the script itself is checked before a GPU is lent)."""

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "bench" / "gpu_smoke.py"


@pytest.mark.slow
def test_the_dry_run_passes_on_the_cpu(tmp_path):
    done = subprocess.run([sys.executable, str(SCRIPT), "--device", "cpu", "--steps", "2",
                           "--cpu-steps", "2", "--batch", "2", "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    text = (tmp_path / "gpu_smoke.md").read_text()
    assert "FAILED" not in text and "| equal |" in text
