"""`gantool train/eval/run dann` end to end on tiny folders, and one line for each bad input."""

import json

import pytest

from gantool.testing import one_line_error

TINY = ["--steps", "3", "--batch-size", "4", "--features", "4", "--hidden", "8", "--quiet",
        "--device", "cpu"]


def train(run_cli, source, target, out, *extra):
    code, _, err = run_cli("train", "dann", "--source", source, "--target", target, "--out", out,
                           *TINY, *extra)
    assert code == 0, err
    return out / "model.safetensors"


@pytest.mark.parametrize("mode", ["dann", "source-only", "target-only"])
def test_every_mode_trains_and_reports_both_accuracies(run_cli, domains, tmp_path, mode):
    weights = train(run_cli, *domains, tmp_path / mode, "--mode", mode)
    assert weights.is_file()
    metrics = (tmp_path / mode / "metrics.json").read_text()
    assert "source_acc" in metrics and "target_acc" in metrics


def test_eval_reports_accuracy_distance_and_writes_the_plot(run_cli, domains, tmp_path):
    adapted = train(run_cli, *domains, tmp_path / "dann")
    baseline = train(run_cli, *domains, tmp_path / "base", "--mode", "source-only")
    plot = tmp_path / "embedding.png"
    code, out, err = run_cli("eval", "dann", "--weights", adapted, "--baseline", baseline,
                             "--embedding", "pca", "--plot", plot, "--json")
    assert code == 0, err
    assert '"proxy A-distance"' in out and "before: source-only" in out
    assert plot.read_bytes()[:4] == b"\x89PNG"


def test_run_writes_one_prediction_per_image(write_domain, run_cli, domains, tmp_path):
    weights = train(run_cli, *domains, tmp_path / "dann")
    images = write_domain(tmp_path / "new", size=20, colour=True, labelled=False,
                          splits=("x",)) / "x"
    code, out, err = run_cli("run", "dann", "--input", images, "--weights", weights, "--json")
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 12 and {row["class"] for row in rows} <= {"0", "1"}
    assert "12 of 12 images" in err and "resized to the model's 8x8" in err


@pytest.mark.parametrize(("source", "target", "extra", "message"), [
    pytest.param({}, None, [], "holds no images", id="empty target folder"),
    pytest.param({"labelled": False}, {"colour": True}, [], "has no labels",
                 id="source without labels"),
    pytest.param({}, {"colour": True, "labelled": False}, ["--mode", "target-only"],
                 "has no labels", id="target-only without target labels"),
])
def test_unusable_domains_are_one_line(write_domain, run_cli, tmp_path, source, target, extra,
                                       message):
    if target is None:
        (tmp_path / "t").mkdir()
    else:
        write_domain(tmp_path / "t", **target)
    one_line_error(run_cli("train", "dann", "--source", write_domain(tmp_path / "s", **source),
                           "--target", tmp_path / "t", *extra, "--out", tmp_path / "r", *TINY),
                   message)


def test_size_and_channel_mismatch_is_converted_with_a_notice(write_domain, run_cli, tmp_path):
    source = write_domain(tmp_path / "s", size=8)
    target = write_domain(tmp_path / "t", size=12, colour=True)
    code, _, err = run_cli("train", "dann", "--source", source, "--target", target,
                           "--out", tmp_path / "r", *TINY)
    assert code == 0, err
    assert "notice:" in err and "resized 8x8 -> 12x12, 1 -> 3 channels" in err


def test_image_side_not_divisible_by_four_is_one_line(run_cli, domains, tmp_path):
    one_line_error(run_cli("train", "dann", "--source", domains[0], "--target", domains[1],
                           "--image-size", "10", "--out", tmp_path / "r", *TINY),
                   "not divisible by 4")




def test_the_reimplementations_network_trains_and_runs(run_cli, domains, tmp_path):
    """Batch norm, dropout and a wider first convolution: stored in the file, rebuilt by run
    (dropout shifts the layers' names, so a wrong rebuild would not load)."""
    weights = train(run_cli, *domains, tmp_path / "wide", "--batch-norm", "--dropout", "0.5",
                    "--first", "6", "--optimizer", "adam")
    images = domains[1] / "test"
    code, out, err = run_cli("run", "dann", "--input", next(images.rglob("*.png")), "--weights",
                             weights, "--json")
    assert code == 0, err
    assert set(json.loads(out)) == {"file", "class", "probability"}
