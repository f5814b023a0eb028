"""Pair splitting, channel handling, padding and the data recipes on tiny inputs."""

import json

import numpy as np
import pytest
import torch
from PIL import Image
from translation_fixtures import save, scene

from gantool.errors import GantoolError
from gantool_translation.images import pad_to, split_pair, squeeze_grey
from gantool_translation.inference import translate
from gantool_translation.recipes import paired, unpaired
from gantool_translation.translators import Translator


def test_split_pair_reads_a_grey_half_as_one_channel():
    colour = torch.randint(0, 256, (3, 8, 8), dtype=torch.uint8)
    grey = colour[:1].expand(3, -1, -1)
    a, b = split_pair(torch.cat([grey, colour], 2), "x.png")
    assert a.shape == (1, 8, 8) and b.shape == (3, 8, 8)
    assert squeeze_grey(colour).shape[0] == 3


@pytest.mark.parametrize("width", [15, 12])
def test_split_pair_refuses_anything_but_two_square_halves(width):
    with pytest.raises(GantoolError, match="not a side-by-side A|B pair"):
        split_pair(torch.zeros(3, 8, width, dtype=torch.uint8), "x.png")


def test_translate_pads_to_the_multiple_and_crops_back():
    seen = []

    def network(x):
        seen.append(x.shape[-2:])
        return x.mean(1, keepdim=True)

    image = torch.randint(0, 256, (1, 3, 13, 21), dtype=torch.uint8)
    out = translate(Translator(network, 3, 1), image, 8)
    assert seen == [(16, 24)] and out.shape == (1, 1, 13, 21)
    assert torch.equal(pad_to(image.float(), 8)[..., :13, :21], image.float())


@pytest.fixture
def photos(tmp_path):
    rng = np.random.default_rng(0)
    for i in range(6):
        save(0.1 * scene(96, rng) + 0.15 * i, tmp_path / "photos" / f"p{i}.png")
    return tmp_path / "photos"


def test_grey2colour_keeps_test_photographs_out_of_training(photos, tmp_path):
    out = paired.build_grey2colour(photos, tmp_path / "g2c", seed=1)
    info = json.loads((out / "info.json").read_text())
    assert not set(info["train_photos"]) & set(info["test_photos"])
    assert len(list((out / "test").iterdir())) == info["test"]
    pair = np.asarray(Image.open(next((out / "train").iterdir())))
    assert pair.shape == (64, 128, 3) and (pair[:, :64, 0] == pair[:, :64, 2]).all()


def test_dark2bright_puts_the_darkest_photographs_in_domain_a(photos, tmp_path):
    out = unpaired.build(photos, tmp_path / "d2b", seed=0)
    info = json.loads((out / "info.json").read_text())
    assert set(info["trainA_photos"] + info["testA_photos"]) == {"p0.png", "p1.png"}
    assert set(info["trainB_photos"] + info["testB_photos"]) == {"p4.png", "p5.png"}
    assert all(len(list((out / d).iterdir())) == info[d]
               for d in ("trainA", "trainB", "testA", "testB"))


def test_recipes_refuse_a_missing_source(tmp_path):
    with pytest.raises(GantoolError, match="not a folder of photographs"):
        unpaired.build(tmp_path / "nothing", tmp_path / "out", seed=0)
    assert not (tmp_path / "out").exists()
