"""The README's commands, run in the order it gives them, from a fresh folder holding only the
committed samples: an example that fails or collides with an earlier one fails here.

Commands with a placeholder for the reader's own folders (`MY_PHOTOS`) are templates: the slow
suite runs each with small folders of the kind it names. Trainings are in the slow suite.
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


def test_the_readme_names_the_torch_the_lock_installs():
    lock = (ROOT / "uv.lock").read_text()
    locked = re.search(r'name = "torch"\nversion = "([^"]+)"', lock).group(1)
    assert f"PyTorch {locked} included" in README.read_text()


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


TINY_BUDGET = {"--steps": "2", "--pretrain-steps": "2", "--warmup-steps": "1",
               "--adversarial-steps": "1"}
"""Step options of the templates, cut to a smoke budget (a zero stays zero)."""


def filled(arguments: list[str], data: dict) -> list[str]:
    """A template with each `--option MY_FOLDER` given the task's smoke data for that option,
    and its steps cut to the smoke budget."""
    words = list(arguments)
    for n, word in enumerate(words[1:], 1):
        option = words[n - 1]
        if is_template([word]):
            words[n] = str(data[option.removeprefix("--").replace("-", "_")])
        elif option in TINY_BUDGET and word != "0":
            words[n] = TINY_BUDGET[option]
    return words


def colour_pairs(folder: Path) -> dict:
    """[photo | label map] pairs of colour halves, the kind the shipped pix2pix model takes
    (the smoke data is grey | colour)."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(0)
    for split in ("train", "test"):
        (folder / split).mkdir(parents=True)
        for n in range(3):
            labels = np.repeat(rng.integers(0, 255, (4, 1, 3)), 32, 0).repeat(64, 1)[:, :64]
            photo = np.clip(labels + rng.normal(0, 20, labels.shape), 0, 255)
            pair = np.concatenate([photo, labels], 1).astype(np.uint8)
            Image.fromarray(pair[:64]).save(folder / split / f"{n}.png")
    return {"data": folder}


def digit_folders(folder: Path, per_class: int = 12, channels: int = 1) -> Path:
    """Ten class folders of 28x28 images, enough for the default 100 labels (the smoke data
    has two or three classes; the shipped models know ten)."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(channels)
    for digit in range(10):
        (folder / str(digit)).mkdir(parents=True)
        for n in range(per_class):
            ink = rng.random((28, 28, channels)) < 0.2 + 0.05 * digit
            Image.fromarray(ink.squeeze().astype(np.uint8) * 255).save(
                folder / str(digit) / f"{n}.png")
    return folder


def digit_domains(folder: Path) -> dict:
    """Labelled grey digits and colour ones, train and test splits, for the DANN model."""
    for domain, channels in (("source", 1), ("target", 3)):
        for split in ("train", "test"):
            digit_folders(folder / domain / split, 2, channels)
    return {"source": folder / "source", "target": folder / "target"}


def captions(folder: Path) -> dict:
    """Captions in the benchmark's layout (train.txt, test.txt), in the shipped model's words."""
    subjects = ["a man", "a woman", "two dogs", "a cat", "a boy"]
    scenes = ["on a beach", "in a kitchen", "near a table", "on a street"]
    lines = [f"{who} sitting {where} ." for who in subjects for where in scenes]
    folder.mkdir(parents=True)
    (folder / "train.txt").write_text("\n".join(lines[:16]) + "\n")
    (folder / "test.txt").write_text("\n".join(lines[16:]) + "\n")
    return {"data": folder}


OF_ITS_KIND = {"pix2pix": colour_pairs, "ssl-gan": lambda folder: {"data": digit_folders(folder)},
               "dann": digit_domains, "seqgan": captions}
"""Tasks whose shipped model takes other data than their smoke run."""


@pytest.mark.slow
def test_the_readme_templates_fine_tune_on_small_folders(run_cli, fresh_clone):
    """Each train template, its folders filled with the task's smoke data: `--init shipped`
    and every option it names work as written."""
    from gantool.imports import import_object
    from gantool.plugins import load_plugins

    specs = {spec.name: spec for spec in load_plugins().tasks}
    templates = [c for c in readme_commands() if is_template(c) and c[0] == "train"]
    assert len(templates) >= 7
    for arguments in templates:
        task = arguments[1]
        make = OF_ITS_KIND.get(task) or import_object(specs[task].smoke)
        data = make(fresh_clone / "data" / task)
        words = filled(arguments, data)
        code, out, err = run_cli(*words)
        assert code == 0, f"gantool {' '.join(words)}: {err}"
