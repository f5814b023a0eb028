"""`gantool train/eval/run pix2pix|cyclegan` end to end on tiny folders."""

import json
import shutil

import numpy as np
import pytest
from PIL import Image
from translation_fixtures import TINY_PAIRED, TINY_UNPAIRED, facades_pairs


def train(run_cli, task, data, out, *extra):
    tiny = TINY_PAIRED if task == "pix2pix" else TINY_UNPAIRED
    code, _, err = run_cli("train", task, "--data", data, "--out", out, *tiny, *extra)
    assert code == 0, err
    return out / "model.safetensors"


@pytest.mark.parametrize("loss", ["l1+cgan", "l1", "cgan"])
def test_pix2pix_trains_each_ablation_and_scores_the_test_split(run_cli, paired, tmp_path, loss):
    train(run_cli, "pix2pix", paired, tmp_path / "run", "--loss", loss)
    metrics = json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert set(metrics) == {"l1", "psnr", "ssim"}
    assert (tmp_path / "run" / "samples").is_dir()


def test_pix2pix_eval_reports_fidelity_and_kid(run_cli, paired, tmp_path):
    weights = train(run_cli, "pix2pix", paired, tmp_path / "run")
    code, out, err = run_cli("eval", "pix2pix", "--weights", weights, "--json")
    assert code == 0, err
    table, = json.loads(out)
    assert table["columns"][1:4] == ["L1", "PSNR (dB)", "SSIM"]
    assert "random-conv-960" in table["columns"][4]
    l1, psnr = table["rows"][0][1:3]
    assert 0 <= l1 <= 1 and psnr > 0
    assert table["columns"][-1] == "checkerboard dB"
    assert table["rows"][0][-1] == "–"  # 16 px test images are too small to score it


def test_pix2pix_run_keeps_any_size_and_makes_colour_from_grey(run_cli, paired, grey_image,
                                                               tmp_path):
    weights = train(run_cli, "pix2pix", paired, tmp_path / "run")
    code, _, err = run_cli("run", "pix2pix", "--input", grey_image, "--weights", weights)
    assert code == 0, err
    output = Image.open(grey_image.with_name("grey_pix2pix_AtoB.png"))
    assert output.size == (21, 13) and output.mode == "RGB"


def test_cyclegan_trains_evaluates_and_runs_both_directions(run_cli, unpaired, colour_image,
                                                            tmp_path):
    weights = train(run_cli, "cyclegan", unpaired, tmp_path / "run")
    assert {"cycle_a", "cycle_b"} <= set(json.loads((tmp_path / "run" / "metrics.json")
                                                    .read_text()))
    code, out, err = run_cli("eval", "cyclegan", "--weights", weights, "--json")
    assert code == 0, err
    table, = json.loads(out)
    assert [row[0] for row in table["rows"]] == ["A -> B", "B -> A"]
    assert table["columns"][-1] == "checkerboard dB (real targets)"
    for direction in ("AtoB", "BtoA"):
        code, _, err = run_cli("run", "cyclegan", "--input", colour_image.parent, "--weights",
                               weights, "--direction", direction)
        assert code == 0, err
        output = colour_image.parent / f"cyclegan_{direction}" / f"colour_cyclegan_{direction}.png"
        assert Image.open(output).size == (21, 13)


def test_cyclegan_resumes_exactly_with_its_image_pools(run_cli, unpaired, tmp_path):
    """Rewinding to the step-2 checkpoint and resuming replays steps 3-4 exactly, which needs
    the pools' contents in the checkpoint and their draws seeded by the step."""
    from safetensors.torch import load_file

    run = tmp_path / "run"
    weights = train(run_cli, "cyclegan", unpaired, run, "--steps", "4", "--checkpoint-every", "2")
    straight = load_file(weights)
    checkpoints = run / "checkpoints"
    shutil.rmtree(checkpoints / "step-00000004")
    (checkpoints / "latest").write_text("step-00000002\n")
    resumed = load_file(train(run_cli, "cyclegan", unpaired, run, "--steps", "4",
                              "--checkpoint-every", "2", "--resume"))
    assert straight.keys() == resumed.keys()
    assert all(np.array_equal(straight[k].numpy(), resumed[k].numpy()) for k in straight)


@pytest.mark.parametrize("task,sample", [("pix2pix", "facade_labels.png"),
                                         ("cyclegan", "facade_labels.png")])
def test_shipped_weights_run_on_the_committed_samples(run_cli, tmp_path, task, sample):
    from pathlib import Path

    source = Path(__file__).resolve().parents[3] / "datasets" / "samples" / sample
    output = tmp_path / "out.png"
    code, _, err = run_cli("run", task, "--input", source, "--output", output)
    assert code == 0, err
    assert Image.open(output).size == Image.open(source).size


@pytest.mark.parametrize("task", ["pix2pix", "cyclegan"])
def test_resize_upsampling_trains_and_its_model_runs(run_cli, paired, unpaired, colour_image,
                                                     tmp_path, task):
    """The architecture choice travels in the model file: `gantool run` rebuilds it."""
    from safetensors import safe_open

    data = paired if task == "pix2pix" else unpaired
    weights = train(run_cli, task, data, tmp_path / "run", "--upsample", "resize")
    with safe_open(weights, "pt") as f:
        assert json.loads(f.metadata()["config"])["upsample"] == "resize"
    output = tmp_path / "out.png"
    code, _, err = run_cli("run", task, "--input", colour_image, "--weights", weights,
                           "--output", output, "--convert")
    assert code == 0, err
    assert Image.open(output).size == Image.open(colour_image).size


def test_an_input_from_the_output_domain_gets_a_notice(run_cli, tmp_path):
    """A labels -> photo model given a photo says so (and still translates it); a label map
    passes without a word."""
    data = facades_pairs(tmp_path / "facades")
    weights = train(run_cli, "pix2pix", data, tmp_path / "run", "--direction", "BtoA",
                    "--no-jitter")
    pair = Image.open(data / "test" / "0.png")
    for name, box in (("photo", (0, 0, 16, 16)), ("labels", (16, 0, 32, 16))):
        pair.crop(box).save(tmp_path / f"{name}.png")
    code, _, err = run_cli("run", "pix2pix", "--input", tmp_path / "photo.png", "--weights",
                           weights)
    assert code == 0, err
    assert "photo.png: it looks like the model's output domain" in err
    code, _, err = run_cli("run", "pix2pix", "--input", tmp_path / "labels.png", "--weights",
                           weights)
    assert code == 0 and "output domain" not in err, err
