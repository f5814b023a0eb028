"""Both training stages run, export loadable weights, and evaluation compares the models."""

import json

import pytest
from PIL import Image
from superres_fixtures import photo

from gantool.config import build
from gantool.errors import GantoolError
from gantool.metadata import read_metadata
from gantool.train.trainer import Trainer, seed_everything
from gantool_superres.config import SuperResConfig, SuperResEval
from gantool_superres.data import PatchDataset
from gantool_superres.evaluation import (
    BICUBIC,
    GAN_MODEL,
    PSNR_ENSEMBLE,
    PSNR_MODEL,
    SHARP_BICUBIC,
    evaluate,
)
from gantool_superres.training import build_game
from gantool_superres.weights import load_generator


@pytest.fixture
def photos(tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    for i in range(3):
        Image.fromarray(photo(48, 40, seed=i)).save(folder / f"p{i}.jpg")
    return folder


def tiny_config(data, **overrides):
    values = {"data": data, "blocks": 1, "channels": 8, "d_channels": 4, "patch": 8,
              "batch_size": 4, "crops_per_image": 4, "pretrain_steps": 2, "adversarial_steps": 2,
              "log_every": 1, "device": "cpu", "content": "features", **overrides}
    return build(SuperResConfig, values)


def train(config, out):
    seed_everything(config.seed)
    Trainer(build_game(config), config, out, task="superres", quiet=True).fit()
    return out / "model.safetensors"


def test_patches_are_deterministic_pairs(photos):
    data = PatchDataset(photos, patch=8, scale=4, crops_per_image=2, seed=0)
    lr, hr = data[3]
    assert lr.shape == (3, 8, 8) and hr.shape == (3, 32, 32) and len(data) == 6
    assert (data[3][1] == hr).all()


def test_hr_scales_add_downscaled_copies_that_fit_the_crop(tmp_path):
    Image.fromarray(photo(96, 80, seed=0)).save(tmp_path / "big.png")
    data = PatchDataset(tmp_path, patch=8, scale=4, crops_per_image=2, seed=0,
                        hr_scales=(1.0, 0.5, 0.25))  # the 0.25 copy (24x20) is below 32 px
    assert [tuple(im.shape) for im in data.images] == [(3, 80, 96), (3, 40, 48)]
    assert len(data) == 4 and data.images[1].dtype == data.images[0].dtype
    with pytest.raises(GantoolError, match="hr-scales"):
        PatchDataset(tmp_path, patch=8, scale=4, crops_per_image=2, seed=0, hr_scales=(1.5,))


def test_two_stages_then_gan_fine_tune_from_init(tmp_path, photos):
    psnr = train(tiny_config(photos, adversarial_steps=0), tmp_path / "psnr")
    meta = read_metadata(psnr)
    assert meta["model"] == "srresnet" and json.loads(meta["architecture"])["scale"] == 4
    gan = train(tiny_config(photos, pretrain_steps=0, init=psnr, val_data=photos),
                tmp_path / "gan")
    assert read_metadata(gan)["model"] == "srgan"
    assert {"psnr", "hf_ratio"} <= set(json.loads((tmp_path / "gan" / "metrics.json").read_text()))
    assert load_generator(gan, 4).arch.channels == 8
    log = (tmp_path / "gan" / "log.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in log if '"train"' in line]
    assert {"D/loss", "G/content", "G/adversarial"} <= set(records[-1])

    tables = evaluate(SuperResEval(data=photos, psnr_weights=psnr, gan_weights=gan,
                                   self_ensemble=True))
    assert [row[0] for row in tables[0].rows] == [BICUBIC, SHARP_BICUBIC, PSNR_MODEL, GAN_MODEL,
                                                  PSNR_ENSEMBLE]


def test_init_with_another_architecture_is_refused(tmp_path, photos):
    psnr = train(tiny_config(photos, adversarial_steps=0), tmp_path / "psnr")
    with pytest.raises(GantoolError, match="--blocks"):
        build_game(tiny_config(photos, init=psnr, channels=16))


def test_init_with_fewer_blocks_is_deepened(tmp_path, photos, capsys):
    psnr = train(tiny_config(photos, adversarial_steps=0), tmp_path / "psnr")
    game = build_game(tiny_config(photos, init=psnr, blocks=3, adversarial_steps=0))
    assert game.networks["G"].arch.blocks == 3 and "deepening" in capsys.readouterr().out
    with pytest.raises(GantoolError, match="--blocks"):
        build_game(tiny_config(photos, init=psnr, blocks=0))


def test_missing_vgg_weights_are_reported(photos, tmp_path):
    with pytest.raises(GantoolError, match="--vgg-weights"):
        build_game(tiny_config(photos, content="vgg", vgg_weights=tmp_path / "none.pth"))


@pytest.mark.parametrize("content, fragment", [
    ("pickled object", "not a readable tensor file (UnpicklingError)"),
    ("other tensors", "not torchvision's VGG19"),
])
def test_unusable_vgg_weights_are_one_line(run_cli, photos, tmp_path, content, fragment):
    import argparse

    import torch

    from gantool.testing import one_line_error

    vgg = tmp_path / "vgg.pth"
    torch.save(argparse.Namespace(layers=3) if content == "pickled object"
               else {"features.0.weight": torch.ones(2)}, vgg)
    one_line_error(run_cli("train", "superres", "--data", photos, "--out", tmp_path / "run",
                           "--content", "vgg", "--vgg-weights", vgg, "--pretrain-steps", "0",
                           "--adversarial-steps", "1", "--blocks", "1", "--channels", "8",
                           "--patch", "8", "--batch-size", "2", "--device", "cpu", "--quiet"),
                   fragment)
    assert not (tmp_path / "run").exists()
