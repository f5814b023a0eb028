"""`run` never loses data, reports a folder's good files when some are bad, and every way a
weights file can be wrong is one line."""

import csv
import json
import shutil

import pytest

from gantool.testing import damaged_weights, one_line_error


@pytest.mark.parametrize("over", ["input", "weights"])
def test_an_output_over_an_input_or_the_weights_is_refused(run_cli, trained, over):
    output = (trained["data"] / "test" / "bar" / "000.png" if over == "input"
              else trained["ssl-gan"])
    before = output.read_bytes()
    one_line_error(run_cli("run", "ssl-gan", "--weights", trained["ssl-gan"], "--input",
                           trained["data"] / "test" / "bar", "--output", output, "--overwrite"),
                   "is the file being read")
    assert output.read_bytes() == before


def test_an_existing_output_is_replaced_only_with_overwrite(run_cli, trained, tmp_path):
    output = tmp_path / "predictions.csv"
    output.write_text("keep me\n")
    args = ["run", "triple-gan", "--weights", trained["triple-gan"], "--input",
            trained["data"] / "test" / "bar", "--output", output]
    one_line_error(run_cli(*args), "already exists; pass --overwrite")
    assert output.read_text() == "keep me\n"
    code, out, err = run_cli(*args, "--overwrite")
    assert code == 0 and f"wrote {output}" in out, err
    with open(output) as handle:
        assert len(list(csv.DictReader(handle))) == 4


def test_an_output_that_is_no_report_is_refused(run_cli, trained, tmp_path):
    one_line_error(run_cli("run", "ssl-gan", "--weights", trained["ssl-gan"], "--input",
                           trained["data"] / "test" / "bar", "--output", tmp_path / "out.png"),
                   "must end in .json or .csv")
    assert not (tmp_path / "out.png").exists()


def test_a_folder_with_a_corrupt_file_reports_the_others(run_cli, trained, tmp_path):
    folder = shutil.copytree(trained["data"] / "test" / "bar", tmp_path / "images")
    (folder / "broken.png").write_bytes(b"\x89PNG not really")
    output = tmp_path / "predictions.json"
    code, out, err = run_cli("run", "ssl-gan", "--weights", trained["ssl-gan"], "--input",
                             folder, "--output", output, "--json")
    assert code == 1 and "broken.png" in err and "1 of 5 inputs failed" in err
    assert "Traceback" not in err
    rows = json.loads(output.read_text())
    assert sorted(row["file"] for row in rows) == sorted(str(p) for p in folder.glob("0*.png"))
    printed = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert printed == rows and f"wrote {output}" in out


@pytest.mark.parametrize(
    ("task", "change", "message"),
    [
        ("ssl-gan", {"drop_tensor": "networks/D/head"}, "does not fit the ssl-gan network 'D'"),
        ("triple-gan", {"drop_tensor": "networks/C/"}, "does not hold triple-gan's network 'C'"),
        ("ssl-gan", {"drop_tensor": "networks/D/", "drop_key": "networks"},
         "does not hold ssl-gan's classifier 'D'"),
        ("ssl-gan", {"drop_key": "classes"}, "lacks the metadata 'classes'"),
        ("triple-gan", {"drop_key": "shape"}, "lacks the metadata 'shape'"),
        ("ssl-gan", {"shape": "[1, 8]"}, "has metadata ssl-gan cannot use"),
        ("ssl-gan", {"shape": "[1, 4, 4]"}, "does not fit the ssl-gan network"),
    ],
)
@pytest.mark.parametrize("verb", ["run", "eval"])
def test_a_broken_weights_file_is_one_line(run_cli, trained, tmp_path, task, change, message,
                                           verb):
    weights = damaged_weights(trained[task], tmp_path / "model.safetensors", **change)
    extra = ["--input", trained["data"] / "test" / "bar"] if verb == "run" else []
    one_line_error(run_cli(verb, task, "--weights", weights, *extra), message)


@pytest.mark.parametrize(("weights", "task"), [("ssl-gan", "triple-gan"),
                                               ("triple-gan", "ssl-gan")])
def test_another_tasks_weights_are_one_line(run_cli, trained, weights, task):
    one_line_error(run_cli("run", task, "--weights", trained[weights], "--input",
                           trained["data"] / "test" / "bar"),
                   f"holds weights for task {weights!r}, not {task!r}")


def test_weights_exported_before_the_networks_key_still_load(run_cli, trained, tmp_path):
    """Earlier exports named the classifier in "classifier" and listed no "networks"."""
    weights = damaged_weights(trained["triple-gan"], tmp_path / "model.safetensors",
                              drop_key="networks", classifier="C")
    code, out, err = run_cli("run", "triple-gan", "--weights", weights, "--input",
                             trained["data"] / "test" / "bar", "--json")
    assert code == 0, err
    assert len(out.splitlines()) == 4


@pytest.mark.parametrize(
    ("task", "args", "message"),
    [
        ("ssl-gan", ["--lr", "0"], "--lr must be above 0"),
        ("ssl-gan", ["--steps", "0"], "--steps must be at least 1"),
        ("triple-gan", ["--alpha", "1.5"], "--alpha must be at most 1"),
        ("triple-gan", ["--input-noise", "-1"], "--input-noise must be at least 0"),
    ],
)
def test_options_out_of_bounds_are_one_line(run_cli, tmp_path, task, args, message):
    one_line_error(run_cli("train", task, "--data", tmp_path, *args, "--out", tmp_path / "run"),
                   message)
    assert not (tmp_path / "run").exists()
