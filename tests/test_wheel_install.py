"""A user's install, end to end: the core and one plugin from their wheels into a fresh venv
with plain pip (no uv, no workspace), then `gantool install` of a third-party plugin from its
project folder (through pip) and from its wheel (through uv). Slow: pip installs torch."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
TORCH = ["torch==2.13.0", "torchvision==0.28.0"]
"""A torch the core admits that pip finds without a download of several GB: on this project's
machines a CPU build of torch 2.13.0 lies on disk, and torchvision 0.28.0 is the release built
for it (an unpinned torchvision would pull a newer torch, a CUDA build). Neither `gantool
tasks` nor `gantool run superres` imports torchvision."""


def _ok(args: list[object], **kwargs) -> str:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True,
                            timeout=1200, **kwargs)
    assert result.returncode == 0, f"{args}: {result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    return result.stdout


@pytest.mark.slow
def test_wheels_install_with_pip_and_gantool_installs_a_plugin(tmp_path):
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is needed to build the wheels")
    dist = tmp_path / "dist"
    for project in ("core", "plugins/superres", "examples/dcgan-plugin"):
        _ok([uv, "build", "--offline", "--wheel", "-o", dist, ROOT / project], cwd=ROOT)
    venv = tmp_path / "venv"
    _ok([sys.executable, "-m", "venv", venv])
    python, gantool = venv / "bin" / "python", venv / "bin" / "gantool"
    ours = [next(dist.glob(f"gantool_{name}-*.whl")) for name in ("core", "superres")]
    _ok([python, "-m", "pip", "install", "-q", *TORCH, *ours])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GANTOOL_", "VIRTUAL_ENV"))}
    work = tmp_path / "work"
    work.mkdir()

    tasks = _ok([gantool, "tasks"], env=env, cwd=work)
    assert "superres" in tasks and "gaussians" in tasks and "segan" not in tasks
    output = work / "photo_x4.png"
    _ok([gantool, "run", "superres", "--input", ROOT / "datasets" / "samples" / "photo.png",
         "--output", output], env=env, cwd=work)
    with Image.open(output) as image:
        assert image.size == (1024, 1024)

    no_uv = {**env, "PATH": f"{venv / 'bin'}:/usr/bin:/bin"}  # `gantool install` uses pip
    _ok([gantool, "install", ROOT / "examples" / "dcgan-plugin"], env=no_uv, cwd=work)
    assert "example-dcgan" in _ok([gantool, "tasks"], env=env, cwd=work)
    _ok([gantool, "uninstall", "gantool-example-dcgan"], env=no_uv, cwd=work)
    assert "example-dcgan" not in _ok([gantool, "tasks"], env=env, cwd=work)
    wheel = next(dist.glob("gantool_example_dcgan-*.whl"))
    _ok([gantool, "install", wheel], env=env, cwd=work)  # uv on PATH: `uv pip install`
    assert "example-dcgan" in _ok([gantool, "tasks"], env=env, cwd=work)
