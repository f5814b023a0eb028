"""Pair splitting, channel handling, padding and the data recipes on tiny inputs."""

import json

import numpy as np
import pytest
import torch
from PIL import Image
from translation_fixtures import facades_pairs, save, scene

from gantool.errors import GantoolError
from gantool_translation.config import TranslationRun
from gantool_translation.data import UnpairedDataset
from gantool_translation.domains import other_domain_notice, smoothness
from gantool_translation.images import pad_to, split_pair, squeeze_grey
from gantool_translation.inference import translate, translate_file
from gantool_translation.recipes import facades, paired, unpaired
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


@pytest.mark.parametrize(("side", "translated_at"), [(None, (16, 28)), (0, (24, 40)),
                                                   (8, (8, 16))])
def test_run_translates_at_the_training_side_and_gives_back_the_input_size(
        tmp_path, side, translated_at):
    """The model trained at 16 px: a 40x24 input is translated with its shorter side at 16
    (40 -> 27, padded to 28), or at --side, and comes back at 40x24."""
    seen = []

    def network(x):
        seen.append(tuple(x.shape[-2:]))
        return x

    path = save(scene(48, np.random.default_rng(1))[:24, :40], tmp_path / "in.png")
    options = TranslationRun(input=str(path), side=side)
    out = translate_file((Translator(network, 3, 3, side=16), 4), path, options)
    assert seen == [translated_at] and out.shape == (24, 40, 3)


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


def test_facades_unpaired_shows_no_scene_in_both_domains_and_keeps_test_pairs(tmp_path):
    source = facades_pairs(tmp_path / "facades")
    out = facades.build(source, tmp_path / "unpaired", seed=0)
    info = json.loads((out / "info.json").read_text())
    assert len(info["trainA_labels_of"]) == len(info["trainB_photos_of"]) == 3
    assert not set(info["trainA_labels_of"]) & set(info["trainB_photos_of"])
    for index, name in enumerate(info["trainA_labels_of"]):
        pair = np.asarray(Image.open(source / "train" / name))
        assert np.array_equal(np.asarray(Image.open(out / "trainA" / f"{index:05d}.png")),
                              pair[:, 16:])
    first = np.asarray(Image.open(source / "test" / "0.png"))
    assert np.array_equal(np.asarray(Image.open(out / "testA" / "00000.png")), first[:, 16:])
    assert np.array_equal(np.asarray(Image.open(out / "testB" / "00000.png")), first[:, :16])


def test_facades_unpaired_refuses_what_is_not_a_facades_folder(tmp_path):
    source = facades_pairs(tmp_path / "facades")
    Image.new("RGB", (20, 16)).save(source / "train" / "odd.png")
    with pytest.raises(GantoolError, match="not a side-by-side"):
        facades.build(source, tmp_path / "out", seed=0)
    with pytest.raises(GantoolError, match="train/ and test/"):
        facades.build(tmp_path / "nothing", tmp_path / "out", seed=0)
    assert not (tmp_path / "out").exists()


def test_unpaired_jitter_crops_each_image_on_its_own():
    a = (torch.arange(2 * 3 * 20 * 20).reshape(2, 3, 20, 20) % 251).to(torch.uint8)
    b = a.flip(-2)
    dataset = UnpairedDataset(a, b, seed=0, crop=16)
    torch.manual_seed(0)
    drawn = []
    for _ in range(12):
        x, y = dataset[0]
        drawn.append((_window(x, a[0]), _window(y, b[int(dataset.order[0]) % 2])))
    assert len(set(drawn)) > 3  # drawn anew each time
    assert any(x != y for x, y in drawn)  # each image its own window and flip


def _window(image, source):
    """Where in `source` the [-1, 1] crop `image` was cut, and whether it was flipped."""
    pixels = torch.round((image + 1) * 127.5)
    side = image.shape[-1]
    for top in range(source.shape[-2] - side + 1):
        for left in range(source.shape[-1] - side + 1):
            window = source[..., top:top + side, left:left + side]
            for flip in (False, True):
                if torch.equal(window.flip(-1) if flip else window, pixels):
                    return top, left, flip
    raise AssertionError("the crop is no window of its source")


def test_smoothness_tells_flat_colours_from_texture():
    flat = torch.full((1, 3, 16, 16), 90, dtype=torch.uint8)
    flat[..., 8:, :] = 200
    noisy = (flat.float() + torch.randn(flat.shape, generator=torch.Generator().manual_seed(0))
             * 20).clamp(0, 255).to(torch.uint8)
    assert smoothness(flat)[0] > 0.9 and smoothness(noisy)[0] < 0.2
    assert other_domain_notice(noisy[0], typical_in=0.95, typical_out=0.1) is not None
    assert other_domain_notice(flat[0], typical_in=0.95, typical_out=0.1) is None
    assert other_domain_notice(noisy[0], None, None) is None  # a model without the record
