"""The README's commands, run in the order it gives them, from a fresh folder holding only the
committed samples: an example that fails or collides with an earlier one fails here.

Commands with a placeholder for the reader's own folders (`MY_PHOTOS`) are templates, not run
here (tests/test_warm_start_tasks.py warm-starts every task). Trainings are in the slow suite.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def readme_commands() -> list[list[str]]:
    """Every `uv run gantool ...` line of the README's bash blocks, as arguments after
    `gantool`, comments dropped."""
    blocks = re.findall(r"```bash\n(.*?)```", README.read_text(), re.DOTALL)
    commands = []
    for line in "\n".join(blocks).splitlines():
        words = shlex.split(line, comments=True)
        if words[:3] == ["uv", "run", "gantool"]:
            commands.append(words[3:])
    return commands


def is_template(arguments: list[str]) -> bool:
    return any(re.fullmatch(r"MY_[A-Z_]+(\.\w+)?", word) for word in arguments)


def test_the_readme_has_runnable_commands_and_templates():
    commands = readme_commands()
    assert any(c[0] == "run" for c in commands) and any(is_template(c) for c in commands)


@pytest.fixture
def fresh_clone(tmp_path, monkeypatch):
    """A folder holding what a clone holds for the commands: the committed samples."""
    shutil.copytree(ROOT / "datasets" / "samples", tmp_path / "datasets" / "samples")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_readme_commands_run_in_order(run_cli, fresh_clone):
    ran = 0
    for arguments in readme_commands():
        if is_template(arguments) or arguments[0] == "train" or arguments[:2] == [
                "eval", "gaussians"]:
            continue  # templates; trainings (and what reads their runs) are in the slow test
        code, out, err = run_cli(*arguments)
        assert code == 0, f"gantool {' '.join(arguments)}: {err}"
        ran += 1
    assert ran >= 5


@pytest.mark.slow
def test_the_readme_trainings_run_in_order(run_cli, fresh_clone):
    for arguments in readme_commands():
        if not is_template(arguments) and arguments[0] in ("train", "eval"):
            code, out, err = run_cli(*arguments)
            assert code == 0, f"gantool {' '.join(arguments)}: {err}"
            if arguments[:2] == ["eval", "gaussians"]:
                modes = re.search(r"modes\D+(\d+)", out)
                assert modes and int(modes.group(1)) >= 7, out
