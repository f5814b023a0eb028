"""One clear line, exit code 2 and no partial output for each bad input."""

import numpy as np
from translation_fixtures import TINY_PAIRED, TINY_UNPAIRED, save, scene

from gantool.testing import one_line_error


def test_mismatched_pair_sizes(run_cli, tmp_path):
    rng = np.random.default_rng(0)
    save(scene(16, rng), tmp_path / "d" / "A" / "0.png")
    save(scene(20, rng), tmp_path / "d" / "B" / "0.png")
    one_line_error(run_cli("train", "pix2pix", "--data", tmp_path / "d", "--out",
                           tmp_path / "r", *TINY_PAIRED), "mismatched sizes")
    assert not (tmp_path / "r" / "model.safetensors").exists()


def test_aligned_folders_that_do_not_pair_up(run_cli, tmp_path):
    rng = np.random.default_rng(0)
    save(scene(16, rng), tmp_path / "d" / "A" / "0.png")
    save(scene(16, rng), tmp_path / "d" / "B" / "1.png")
    one_line_error(run_cli("train", "pix2pix", "--data", tmp_path / "d", "--out",
                           tmp_path / "r", *TINY_PAIRED), "do not pair up")


def test_pair_image_that_is_not_side_by_side(run_cli, tmp_path):
    save(scene(16, np.random.default_rng(0))[:, :15], tmp_path / "d" / "train" / "0.png")
    one_line_error(run_cli("train", "pix2pix", "--data", tmp_path / "d", "--out",
                           tmp_path / "r", *TINY_PAIRED), "not a side-by-side A|B pair")


def test_empty_domain_folder(run_cli, unpaired, tmp_path):
    for path in (unpaired / "trainB").iterdir():
        path.unlink()
    one_line_error(run_cli("train", "cyclegan", "--data", unpaired, "--out", tmp_path / "r",
                           *TINY_UNPAIRED), "is empty")


def test_missing_domain_folders(run_cli, tmp_path):
    (tmp_path / "d" / "trainA").mkdir(parents=True)
    one_line_error(run_cli("train", "cyclegan", "--data", tmp_path / "d", "--out",
                           tmp_path / "r", *TINY_UNPAIRED), "neither trainA/ + trainB/")


def test_colour_input_to_a_greyscale_model_is_refused_then_converted(run_cli, paired,
                                                                      colour_image, tmp_path):
    code, _, err = run_cli("train", "pix2pix", "--data", paired, "--out", tmp_path / "r",
                           *TINY_PAIRED)
    assert code == 0, err
    weights = tmp_path / "r" / "model.safetensors"
    output = tmp_path / "out.png"
    one_line_error(run_cli("run", "pix2pix", "--input", colour_image, "--weights", weights,
                           "--output", output), "is colour but the model takes greyscale")
    assert not output.exists()
    code, _, err = run_cli("run", "pix2pix", "--input", colour_image, "--weights", weights,
                           "--output", output, "--convert")
    assert code == 0 and output.is_file(), err


def test_greyscale_input_to_a_colour_model_is_refused(run_cli, unpaired, grey_image, tmp_path):
    code, _, err = run_cli("train", "cyclegan", "--data", unpaired, "--out", tmp_path / "r",
                           *TINY_UNPAIRED)
    assert code == 0, err
    one_line_error(run_cli("run", "cyclegan", "--input", grey_image, "--weights",
                           tmp_path / "r" / "model.safetensors"),
                   "is greyscale but the model takes colour")
    assert not list(grey_image.parent.glob("*_cyclegan_*"))


def test_pix2pix_has_only_its_trained_direction(run_cli, paired, grey_image, tmp_path):
    code, _, err = run_cli("train", "pix2pix", "--data", paired, "--out", tmp_path / "r",
                           *TINY_PAIRED)
    assert code == 0, err
    one_line_error(run_cli("run", "pix2pix", "--input", grey_image, "--weights",
                           tmp_path / "r" / "model.safetensors", "--direction", "BtoA"),
                   "translates AtoB only")


def test_image_size_the_unet_cannot_take(run_cli, paired, tmp_path):
    one_line_error(run_cli("train", "pix2pix", "--data", paired, "--out", tmp_path / "r",
                           *TINY_PAIRED, "--image-size", "20"), "not a multiple of 2^depth")


def test_lab_colour_space_on_colour_to_colour_pairs(run_cli, tmp_path):
    rng = np.random.default_rng(0)
    save(np.concatenate([scene(16, rng), scene(16, rng)], 1), tmp_path / "d" / "train" / "0.png")
    one_line_error(run_cli("train", "pix2pix", "--data", tmp_path / "d", "--out",
                           tmp_path / "r", "--colour-space", "lab", "--no-jitter",
                           *TINY_PAIRED),
                   "needs grey input and colour output")
    assert not (tmp_path / "r" / "model.safetensors").exists()
