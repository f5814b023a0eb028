"""`run` never loses data, reports a folder's good files when some are bad, and every way a
weights file can be wrong is one line."""

import csv
import json
import shutil

import pytest
from safetensors.torch import load_file, save_file

from gantool.metadata import read_metadata


def one_line(err: str) -> bool:
    return "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_an_output_that_is_an_input_is_refused(run_cli, trained):
    image = trained["data"] / "test" / "bar" / "000.png"
    before = image.read_bytes()
    code, _, err = run_cli("run", "ssl-gan", "--weights", trained["ssl-gan"], "--input",
                           trained["data"] / "test" / "bar", "--output", image, "--overwrite")
    assert code == 2 and "is the file being read" in err and one_line(err)
    assert image.read_bytes() == before


def test_the_weights_are_never_an_output(run_cli, trained):
    weights = trained["ssl-gan"]
    before = weights.read_bytes()
    code, _, err = run_cli("run", "ssl-gan", "--weights", weights, "--input",
                           trained["data"] / "test" / "bar", "--output", weights, "--overwrite")
    assert code == 2 and "is the file being read" in err and one_line(err)
    assert weights.read_bytes() == before


def test_an_existing_output_is_replaced_only_with_overwrite(run_cli, trained, tmp_path):
    output = tmp_path / "predictions.csv"
    output.write_text("keep me\n")
    args = ["run", "triple-gan", "--weights", trained["triple-gan"], "--input",
            trained["data"] / "test" / "bar", "--output", output]
    code, _, err = run_cli(*args)
    assert code == 2 and "already exists; pass --overwrite" in err and one_line(err)
    assert output.read_text() == "keep me\n"
    code, out, err = run_cli(*args, "--overwrite")
    assert code == 0 and f"wrote {output}" in out, err
    with open(output) as handle:
        assert len(list(csv.DictReader(handle))) == 4


def test_an_output_that_is_no_report_is_refused(run_cli, trained, tmp_path):
    code, _, err = run_cli("run", "ssl-gan", "--weights", trained["ssl-gan"], "--input",
                           trained["data"] / "test" / "bar", "--output", tmp_path / "out.png")
    assert code == 2 and "must end in .json or .csv" in err and not (tmp_path / "out.png").exists()


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


def rewrite(source, target, drop_tensors="", drop_metadata=(), **metadata):
    """A copy of the weights without some tensors or metadata keys, or with other metadata."""
    tensors = {k: v for k, v in load_file(str(source)).items()
               if not (drop_tensors and k.startswith(drop_tensors))}
    kept = {k: v for k, v in read_metadata(source).items() if k not in drop_metadata}
    save_file(tensors, str(target), {**kept, **metadata})
    return target


@pytest.mark.parametrize(
    ("task", "change", "message"),
    [
        ("ssl-gan", {"drop_tensors": "networks/D/head"}, "does not fit the ssl-gan network 'D'"),
        ("triple-gan", {"drop_tensors": "networks/C/"}, "does not hold triple-gan's network 'C'"),
        ("ssl-gan", {"drop_tensors": "networks/D/", "drop_metadata": ("networks",)},
         "does not hold ssl-gan's classifier 'D'"),
        ("ssl-gan", {"drop_metadata": ("classes",)}, "lacks the metadata 'classes'"),
        ("triple-gan", {"drop_metadata": ("shape",)}, "lacks the metadata 'shape'"),
        ("ssl-gan", {"shape": "[1, 8]"}, "has metadata ssl-gan cannot use"),
        ("ssl-gan", {"shape": "[1, 4, 4]"}, "does not fit the ssl-gan network"),
    ],
)
def test_a_broken_weights_file_is_one_line(run_cli, trained, tmp_path, task, change, message):
    weights = rewrite(trained[task], tmp_path / "model.safetensors", **change)
    for verb in ("run", "eval"):
        extra = ["--input", trained["data"] / "test" / "bar"] if verb == "run" else []
        code, _, err = run_cli(verb, task, "--weights", weights, *extra)
        assert code == 2 and message in err and one_line(err), (verb, err)


@pytest.mark.parametrize(("weights", "task"), [("ssl-gan", "triple-gan"),
                                               ("triple-gan", "ssl-gan")])
def test_another_tasks_weights_are_one_line(run_cli, trained, weights, task):
    code, _, err = run_cli("run", task, "--weights", trained[weights], "--input",
                           trained["data"] / "test" / "bar")
    assert code == 2 and f"holds weights for task {weights!r}, not {task!r}" in err
    assert one_line(err)


def test_weights_exported_before_the_networks_key_still_load(run_cli, trained, tmp_path):
    """Earlier exports named the classifier in "classifier" and listed no "networks"."""
    weights = rewrite(trained["triple-gan"], tmp_path / "model.safetensors",
                      drop_metadata=("networks",), classifier="C")
    code, out, err = run_cli("run", "triple-gan", "--weights", weights, "--input",
                             trained["data"] / "test" / "bar", "--json")
    assert code == 0, err
    assert len(out.splitlines()) == 4


@pytest.mark.parametrize(
    ("task", "args", "message"),
    [
        ("ssl-gan", ["--lr", "0"], "'lr' must be above 0"),
        ("ssl-gan", ["--steps", "0"], "'steps' must be at least 1"),
        ("triple-gan", ["--alpha", "1.5"], "'alpha' must be at most 1"),
        ("triple-gan", ["--input-noise", "-1"], "'input_noise' must be at least 0"),
    ],
)
def test_options_out_of_bounds_are_one_line(run_cli, tmp_path, task, args, message):
    code, _, err = run_cli("train", task, "--data", tmp_path, *args, "--out", tmp_path / "run")
    assert code == 2 and message in err and one_line(err)
    assert not (tmp_path / "run").exists()
