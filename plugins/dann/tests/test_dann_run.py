"""`gantool run dann` never loses data, and every unusable weights file is one line."""

import csv
import shutil
from pathlib import Path

import pytest
from safetensors import safe_open
from safetensors.torch import load_file

from gantool.checkpoint import save_weights


def one_line(err: str, fragment: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert fragment in lines[0], err


@pytest.fixture
def images(write_domain, tmp_path: Path) -> Path:
    """12 unlabelled colour images in one folder."""
    return write_domain(tmp_path / "new", colour=True, labelled=False, splits=("x",)) / "x"


def rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def test_output_that_is_the_input_is_refused(run_cli, trained, images):
    image = images / "0_0.png"
    before = image.read_bytes()
    code, _, err = run_cli("run", "dann", "--input", image, "--weights", trained,
                           "--output", image)
    assert code == 2
    one_line(err, "is the file being read")
    assert image.read_bytes() == before


def test_output_that_is_the_weights_is_refused(run_cli, trained, images, tmp_path):
    weights = tmp_path / "model.safetensors"
    shutil.copy(trained, weights)
    before = weights.read_bytes()
    code, _, err = run_cli("run", "dann", "--input", images, "--weights", weights,
                           "--output", weights)
    assert code == 2
    one_line(err, "is the file being read")
    assert weights.read_bytes() == before


def test_existing_output_needs_overwrite(run_cli, trained, images):
    report = images / "predictions.csv"
    report.write_text("keep me\n")
    code, _, err = run_cli("run", "dann", "--input", images, "--weights", trained)
    assert code == 2
    one_line(err, "--overwrite")
    assert report.read_text() == "keep me\n"
    code, out, err = run_cli("run", "dann", "--input", images, "--weights", trained,
                             "--overwrite")
    assert code == 0, err
    assert len(rows(report)) == 12 and f"wrote {report}" in out


def test_output_folder_gets_the_report(run_cli, trained, images, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    code, _, err = run_cli("run", "dann", "--input", images, "--weights", trained,
                           "--output", folder)
    assert code == 0, err
    assert len(rows(folder / "predictions.csv")) == 12


def test_folder_with_a_corrupt_image_writes_the_others(run_cli, trained, images):
    bad = images / "broken.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n not really")
    code, out, err = run_cli("run", "dann", "--input", images, "--weights", trained)
    assert code == 1
    assert "broken.png" in err and "Traceback" not in err
    written = rows(images / "predictions.csv")
    assert len(written) == 12 and not any("broken" in row["file"] for row in written)
    assert "wrote" in out


def rewrite(source: Path, target: Path, *, drop_tensor: str = "", drop_key: str = "",
            task: str | None = None) -> Path:
    """A copy of exported weights with one tensor or metadata key removed, or another task."""
    tensors = {k: v for k, v in load_file(str(source)).items() if k != drop_tensor}
    with safe_open(str(source), framework="pt") as handle:
        metadata = {k: v for k, v in handle.metadata().items() if k != drop_key}
    if task is not None:
        metadata["task"] = task
    save_weights(target, tensors, metadata)
    return target


@pytest.mark.parametrize("change, fragment", [
    ({"drop_tensor": "networks/label/4.weight"}, "does not fit the dann network 'label'"),
    ({"drop_key": "classes"}, "lacks the metadata 'classes'"),
    ({"task": "segan"}, "not 'dann'"),
])
@pytest.mark.parametrize("verb", ["run", "eval"])
def test_unusable_weights_are_one_line(run_cli, trained, images, tmp_path, change, fragment,
                                       verb):
    weights = rewrite(trained, tmp_path / "bad.safetensors", **change)
    args = ("--input", images) if verb == "run" else ()
    code, _, err = run_cli(verb, "dann", *args, "--weights", weights)
    assert code == 2
    one_line(err, fragment)
    assert not (images / "predictions.csv").exists()
