"""`gantool run dann` never loses data, and every unusable weights file is one line."""

import csv
import json
import shutil
from pathlib import Path

import pytest

from gantool.testing import damaged_weights, one_line_error


@pytest.fixture
def images(write_domain, tmp_path: Path) -> Path:
    """12 unlabelled colour images in one folder."""
    return write_domain(tmp_path / "new", colour=True, labelled=False, splits=("x",)) / "x"


def rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("over", ["input", "weights"])
def test_output_over_the_input_or_the_weights_is_refused(run_cli, trained, images, tmp_path,
                                                         over):
    weights = shutil.copy(trained, tmp_path / "model.safetensors")
    source = images / "0_0.png" if over == "input" else images
    output = source if over == "input" else weights
    before = output.read_bytes()
    one_line_error(run_cli("run", "dann", "--input", source, "--weights", weights,
                           "--output", output), "is the file being read")
    assert output.read_bytes() == before


def test_existing_output_needs_overwrite(run_cli, trained, images, tmp_path):
    report = tmp_path / "predictions.csv"
    report.write_text("keep me\n")
    args = ("run", "dann", "--input", images, "--weights", trained, "--output", report)
    one_line_error(run_cli(*args), "--overwrite")
    assert report.read_text() == "keep me\n"
    code, out, err = run_cli(*args, "--overwrite")
    assert code == 0, err
    assert len(rows(report)) == 12 and f"wrote {report}" in out


def test_output_must_be_a_report(run_cli, trained, images, tmp_path):
    one_line_error(run_cli("run", "dann", "--input", images, "--weights", trained, "--output",
                           tmp_path / "out.txt"), "must end in .json or .csv")
    assert not (tmp_path / "out.txt").exists()


def test_json_prints_one_object_per_image_and_writes_the_same_rows(run_cli, trained, images,
                                                                   tmp_path):
    output = tmp_path / "predictions.json"
    code, out, err = run_cli("run", "dann", "--input", images, "--weights", trained,
                             "--output", output, "--json")
    assert code == 0, err
    printed = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert printed == json.loads(output.read_text())
    assert len(printed) == 12 and set(printed[0]) == {"file", "class", "probability"}
    assert all(0 < row["probability"] <= 1 for row in printed)


def test_folder_with_a_corrupt_image_reports_the_others(run_cli, trained, images, tmp_path):
    bad = images / "broken.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n not really")
    output = tmp_path / "predictions.csv"
    code, out, err = run_cli("run", "dann", "--input", images, "--weights", trained,
                             "--output", output)
    assert code == 1
    assert "broken.png" in err and "Traceback" not in err
    written = rows(output)
    assert len(written) == 12 and not any("broken" in row["file"] for row in written)
    assert "wrote" in out


@pytest.mark.parametrize("change, fragment", [
    ({"drop_tensor": "networks/label/4.weight"}, "does not fit the dann network 'label'"),
    ({"drop_key": "classes"}, "lacks the metadata 'classes'"),
    ({"task": "segan"}, "not 'dann'"),
])
@pytest.mark.parametrize("verb", ["run", "eval"])
def test_unusable_weights_are_one_line(run_cli, trained, images, tmp_path, change, fragment,
                                       verb):
    weights = damaged_weights(trained, tmp_path / "bad.safetensors", **change)
    args = ("--input", images) if verb == "run" else ()
    one_line_error(run_cli(verb, "dann", *args, "--weights", weights), fragment)
    assert not list(images.glob("*.csv"))
