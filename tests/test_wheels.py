"""Every distribution of the workspace builds as a wheel that installs on its own: its package,
its shipped weights and model card, its `gantool` entry point, and metadata (name, version,
licence, README, dependencies) that agree with its pyproject.toml."""

from __future__ import annotations

import configparser
import email
import shutil
import subprocess
import tomllib
import zipfile
from email.message import Message
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
PROJECTS = [ROOT / "core", *sorted(p.parent for p in (ROOT / "plugins").glob("*/pyproject.toml"))]


def _project(folder: Path) -> dict:
    return tomllib.loads((folder / "pyproject.toml").read_text())["project"]


@pytest.fixture(scope="module")
def wheels(tmp_path_factory) -> dict[str, zipfile.ZipFile]:
    """All wheels, built once, offline: their backend, hatchling, is in uv's cache since the
    workspace's editable installs were built with it."""
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is needed to build the wheels")
    out = tmp_path_factory.mktemp("wheels")
    result = subprocess.run([uv, "build", "--offline", "--all-packages", "--wheel", "-o",
                             str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    built = {}
    for folder in PROJECTS:
        name, version = _project(folder)["name"], _project(folder)["version"]
        path = out / f"{name.replace('-', '_')}-{version}-py3-none-any.whl"
        assert path.is_file(), f"no wheel of {name}: {result.stderr}"
        built[name] = zipfile.ZipFile(path)
    return built


def _dist_info(wheel: zipfile.ZipFile, name: str) -> str:
    return next(n for n in wheel.namelist() if n.endswith(f".dist-info/{name}"))


def _metadata(wheel: zipfile.ZipFile) -> Message:
    return email.message_from_string(wheel.read(_dist_info(wheel, "METADATA")).decode())


@pytest.mark.parametrize("folder", PROJECTS, ids=lambda p: p.name)
def test_the_wheel_ships_its_source_tree_weights_and_model_cards_included(wheels, folder):
    wheel = wheels[_project(folder)["name"]]
    shipped = [p for p in (folder / "src").rglob("*")
               if p.is_file() and "__pycache__" not in p.parts]
    for path in shipped:
        arcname = path.relative_to(folder / "src").as_posix()
        assert wheel.getinfo(arcname).file_size == path.stat().st_size, arcname
    assert not [n for n in wheel.namelist() if "/tests/" in n or n.startswith("tests/")]


@pytest.mark.parametrize("folder", PROJECTS, ids=lambda p: p.name)
def test_the_wheel_declares_its_gantool_entry_point(wheels, folder):
    project = _project(folder)
    points = configparser.ConfigParser()
    points.read_string(wheels[project["name"]].read(_dist_info(wheels[project["name"]],
                                                               "entry_points.txt")).decode())
    if folder.name == "core":
        assert points["console_scripts"]["gantool"] == "gantool.cli:main"
    else:
        assert dict(points["gantool"]) == project["entry-points"]["gantool"]


@pytest.mark.parametrize("folder", PROJECTS, ids=lambda p: p.name)
def test_the_wheel_metadata_agrees_with_the_project(wheels, folder):
    project = _project(folder)
    wheel = wheels[project["name"]]
    meta = _metadata(wheel)
    assert (meta["Name"], meta["Version"]) == (project["name"], project["version"])
    assert meta["Summary"] == project["description"]
    assert meta["License-Expression"] == "MIT"
    licence = wheel.read(_dist_info(wheel, "licenses/LICENSE")).decode()
    assert licence == (ROOT / "LICENSE").read_text(), f"{folder}/LICENSE is not the root's"
    assert meta["Description-Content-Type"] == "text/markdown"
    assert meta.get_payload().strip() == (folder / "README.md").read_text().strip()
    extras = project.get("optional-dependencies", {})
    declared = [*project["dependencies"],
                *(f'{r}; extra == "{extra}"' for extra, rs in extras.items() for r in rs)]
    required = {str(Requirement(r)) for r in meta.get_all("Requires-Dist") or []}
    assert required == {str(Requirement(r)) for r in declared}
    assert set(meta.get_all("Provides-Extra") or []) == set(extras)
