"""`gantool train/eval/run ssl-gan|triple-gan` end to end on tiny class folders."""

import csv
import json

import pytest

from gantool.testing import one_line_error

TINY = ["--steps", "3", "--batch-size", "6", "--labelled-batch", "6", "--widths", "8",
        "--g-width", "8", "--z-dim", "2", "--labels", "3", "--quiet", "--device", "cpu",
        "--threads", "1"]


def train(run_cli, task, data, out, *extra):
    tiny = [*TINY, "--d-widths", "8"] if task == "triple-gan" else TINY
    code, _, err = run_cli("train", task, "--data", data, "--out", out, *tiny, *extra)
    assert code == 0, err
    return out / "model.safetensors"


@pytest.mark.parametrize("task", ["ssl-gan", "triple-gan"])
def test_train_eval_run(run_cli, folders, classes, tmp_path, task):
    weights = train(run_cli, task, folders, tmp_path / task)
    run = tmp_path / task
    assert (run / "labelled.json").is_file() and list((run / "samples").glob("*.png"))
    code, out, err = run_cli("eval", task, "--weights", weights, "--json")
    assert code == 0, err
    summary, per_class = json.loads(out)
    assert summary["rows"][0][0] == 12 and 0 <= summary["rows"][0][2] <= 100
    assert [row[0] for row in per_class["rows"]] == list(classes)
    assert (run / "confusion.png").read_bytes()[:4] == b"\x89PNG"
    code, out, err = run_cli("run", task, "--weights", weights, "--input",
                             folders / "test" / "bar", "--json")
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 4 and {row["class"] for row in rows} <= set(classes)
    assert all(0 < row["probability"] <= 1 for row in rows)


def test_supervised_baseline_and_run_output_file(run_cli, folders, tmp_path):
    weights = train(run_cli, "ssl-gan", folders, tmp_path / "base", "--supervised-only")
    assert not (tmp_path / "base" / "samples").exists()
    output = tmp_path / "predictions.csv"
    code, out, err = run_cli("run", "ssl-gan", "--weights", weights, "--input",
                             str(folders / "test" / "*" / "*.png"), "--output", output)
    assert code == 0, err
    assert "probability" in out and f"wrote {output}" in out
    with open(output) as handle:
        assert len(list(csv.DictReader(handle))) == 12


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "ssl-gan", "--input", "x.png"], "--input x.png not found"),
        (["train", "ssl-gan", "--out", "x"], "missing required option --data"),
        (["eval", "ssl-gan", "--weights", "missing.safetensors"], "not found"),
    ],
)
def test_bad_use_is_one_line(run_cli, args, message):
    one_line_error(run_cli(*args), message)


def test_eval_refuses_the_training_folders_without_a_test_split(run_cli, folders, tmp_path):
    weights = train(run_cli, "ssl-gan", folders / "train", tmp_path / "run", "--supervised-only")
    one_line_error(run_cli("eval", "ssl-gan", "--weights", weights), "no test/ split")
    code, out, err = run_cli("eval", "ssl-gan", "--weights", weights, "--data", folders / "test")
    assert code == 0 and "error %" in out, err


def test_a_run_evaluated_in_place_can_still_be_extended(run_cli, folders, tmp_path):
    """`gantool eval` writes confusion.png into the run folder; --resume must accept it."""
    weights = train(run_cli, "ssl-gan", folders, tmp_path / "run", "--checkpoint-every", "3")
    assert run_cli("eval", "ssl-gan", "--weights", weights)[0] == 0
    assert (tmp_path / "run" / "confusion.png").is_file()
    train(run_cli, "ssl-gan", folders, tmp_path / "run", "--resume", "--steps", "5")
    log = (tmp_path / "run" / "log.jsonl").read_text()
    assert '"step": 5' in log
