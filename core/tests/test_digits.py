"""The digits demo: the PNG recipe, a short training end to end, and metrics that separate
real digits from an untrained generator's output."""

import json
import sys
from collections import Counter

import pytest
import torch

from gantool import cli, plugins
from gantool.config import build
from gantool.data.digits import HELD_OUT
from gantool.data.digits import build as build_recipe
from gantool.demos.digits import build_game, evaluate, generate, generator, scorer
from gantool.demos.digits_config import DigitsConfig, DigitsEval
from gantool.errors import GantoolError
from gantool.train import train

pytest.importorskip("sklearn")

TINY = {"steps": 4, "batch_size": 16, "width": 8, "z_dim": 8, "device": "cpu", "threads": 1,
        "checkpoint_every": 0}


def test_recipe_writes_a_stratified_split_of_png_folders(tmp_path):
    from PIL import Image

    out = build_recipe(None, tmp_path / "digits", seed=0)
    train_files, test_files = list(out.glob("train/*/*.png")), list(out.glob("test/*/*.png"))
    assert len(train_files) == 1797 - HELD_OUT and len(test_files) == HELD_OUT
    classes = {str(c) for c in range(10)}
    assert {p.parent.name for p in train_files} == classes == {p.parent.name for p in test_files}
    assert not {p.name for p in train_files} & {p.name for p in test_files}
    per_class = Counter(p.parent.name for p in test_files)
    assert max(per_class.values()) - min(per_class.values()) <= 3  # stratified: ~50 each
    with Image.open(test_files[0]) as image:
        assert image.size == (8, 8) and image.mode == "L"
    assert json.loads((out / "split.json").read_text())["seed"] == 0
    assert not list(tmp_path.glob(".*.tmp")), "the temporary build folder was left behind"


def test_recipe_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(GantoolError, match="not empty"):
        build_recipe(None, tmp_path, seed=0)
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_missing_scikit_learn_is_one_clear_error(monkeypatch):
    from gantool.data.digits import load

    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)  # makes the import fail
    with pytest.raises(GantoolError, match="ships with scikit-learn, which is not installed"):
        load()


def test_real_digits_score_far_better_than_an_untrained_generator():
    scores = scorer(16, 0)
    assert scores.features.accuracy > 0.9, "the feature classifier did not learn digits"
    real = scores.real_reference()
    torch.manual_seed(0)
    untrained = generator(z_dim=32, width=32, image_size=16).eval()
    with torch.no_grad():
        fake = scores.score(generate(untrained, scores.size, 32, seed=0))
    assert real["fid"] < fake["fid"] / 10
    assert real["kid"] < fake["kid"] / 10
    assert abs(real["one_nn"] - 0.5) < 0.1 and fake["one_nn"] > 0.9


@pytest.mark.parametrize("image_size", [16, 32])
def test_networks_fit_the_image_size(image_size):
    from gantool.demos.digits import critic

    images = generator(8, 4, image_size)(torch.randn(3, 8))
    assert images.shape == (3, 1, image_size, image_size)
    assert critic(4, image_size)(images).shape == (3, 1)


def test_short_training_then_eval_scores_the_exported_generator(tmp_path):
    config = build(DigitsConfig, TINY)
    run = tmp_path / "run"
    metrics = train(lambda: build_game(config), config, run, task="digits",
                    quiet=True)
    assert set(metrics) == {"fid", "kid", "one_nn", "classifier_accuracy"}
    assert (run / "samples" / "step-00000004.png").is_file()
    (table,) = evaluate(DigitsEval(weights=run / "model.safetensors"))
    generated, real = table.rows
    assert generated[0] == "generated (step 4)" and real[0].startswith("real training digits")
    assert generated[1] == pytest.approx(metrics["fid"])  # same generator, same noise seed
    assert real[1] < generated[1]
    assert generated[4] == real[4] == scorer(16, 0).features.name


def _gantool(monkeypatch, capsys, *args):
    plugins.get_plugins.cache_clear()
    monkeypatch.setattr(sys, "argv", ["gantool", *map(str, args)])
    try:
        cli.main()
        code = 0
    except SystemExit as exc:
        code = exc.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_command_line_registers_the_task_and_the_recipe(tmp_path, monkeypatch, capsys):
    code, out, err = _gantool(monkeypatch, capsys, "data", "list")
    assert code == 0 and "digits" in {line.split()[0] for line in out.splitlines()}, err
    flags = [f"--{key.replace('_', '-')}={value}" for key, value in TINY.items()]
    code, _, err = _gantool(monkeypatch, capsys, "train", "digits", *flags, "--quiet",
                            "--out", tmp_path / "run")
    assert code == 0, err
    code, out, err = _gantool(monkeypatch, capsys, "eval", "digits", "--weights",
                              tmp_path / "run" / "model.safetensors", "--json")
    assert code == 0, err
    assert json.loads(out)[0]["columns"][1:4] == ["FID", "KID", "1-NN accuracy"]
