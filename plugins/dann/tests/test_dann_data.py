"""Domain folders (and every way they can be unusable) and the two data recipes."""

import json

import numpy as np
import pytest
from PIL import Image

from gantool.errors import GantoolError
from gantool_dann.data import PairDataset, load_pair
from gantool_dann.folders import load_domain
from gantool_dann.recipes import blend, printed


def test_pair_gets_one_size_and_channel_count_with_a_notice(write_domain, tmp_path, capsys):
    source = write_domain(tmp_path / "s", size=8)
    target = write_domain(tmp_path / "t", size=12, colour=True, labelled=False)
    pair = load_pair(source, target, "train", target_labels=False)
    assert pair.source.images.shape[1:] == pair.target.images.shape[1:] == (3, 12, 12)
    assert pair.target.labels is None and pair.classes == ["0", "1"]
    err = capsys.readouterr().err
    assert "resized 8x8 -> 12x12" in err and "1 -> 3 channels" in err


def test_pairs_draw_target_images_in_another_order(domains):
    pair = load_pair(*domains, "train", target_labels=True)
    data = PairDataset(pair, seed=0)
    source, label, target, target_label = data[0]
    assert len(data) == 12 and source.shape == target.shape and int(label) in (0, 1)
    assert [int(data.order[i]) for i in range(12)] != list(range(12))


def test_empty_target_is_refused(write_domain, tmp_path):
    source = write_domain(tmp_path / "s")
    (tmp_path / "t").mkdir()
    with pytest.raises(GantoolError, match="holds no images"):
        load_pair(source, tmp_path / "t", "train", target_labels=False)


def test_source_without_class_folders_is_refused(write_domain, tmp_path):
    source = write_domain(tmp_path / "s", labelled=False)
    target = write_domain(tmp_path / "t")
    with pytest.raises(GantoolError, match="has no labels"):
        load_pair(source, target, "train", target_labels=False)


def test_target_classes_must_be_source_classes(write_domain, tmp_path):
    source = write_domain(tmp_path / "s")
    target = write_domain(tmp_path / "t")
    (target / "train" / "1").rename(target / "train" / "7")
    with pytest.raises(GantoolError, match="target classes 7"):
        load_pair(source, target, "train", target_labels=True)


def test_one_domain_with_two_image_sizes_is_refused(write_domain, tmp_path):
    source = write_domain(tmp_path / "s")
    Image.new("L", (9, 9)).save(source / "train" / "0" / "odd.png")
    with pytest.raises(GantoolError, match="one size"):
        load_domain(source, "train", what="source", need_labels=True)


def test_mnist_m_blend_is_the_absolute_difference():
    rng = np.random.default_rng(0)
    digit = np.zeros((28, 28), np.float32)
    digit[10:18] = 1.0
    photo = np.full((40, 40, 3), 0.25, np.float32)
    out = blend.blend(digit, photo, rng)
    assert out.shape == (28, 28, 3)
    assert np.allclose(out[12], 0.75) and np.allclose(out[0], 0.25)


def test_digits_m_recipe_from_a_photo_folder(tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    colours = np.random.default_rng(0).integers(0, 255, (50, 60, 3), dtype=np.uint8)
    Image.fromarray(colours).save(photos / "a.jpg")
    out = blend.build(photos, tmp_path / "dm", seed=0)
    train = sorted((out / "train").rglob("*.png"))
    test = sorted((out / "test").rglob("*.png"))
    assert len(train) == blend.BLENDS * 1297 and len(test) == 500
    assert Image.open(train[0]).size == (28, 28) and Image.open(train[0]).mode == "RGB"
    assert json.loads((out / "info.json").read_text())["photos"] == str(photos)
    with pytest.raises(GantoolError, match="not empty"):
        blend.build(photos, out, seed=0)


def test_printed_digits_are_digitised_like_optdigits(tmp_path, monkeypatch):
    bitmap = printed.render(7, printed.font_files()[0], np.random.default_rng(0))
    assert bitmap.shape == (32, 32) and bitmap.any()
    counts = printed.digitise(bitmap) * 16
    assert counts.shape == (8, 8) and np.allclose(counts, np.rint(counts))
    monkeypatch.setattr(printed, "PER_CLASS", {"train": 2, "test": 1})
    out = printed.build(None, tmp_path / "p", seed=0)
    assert len(list((out / "train").rglob("*.png"))) == 20
    assert sorted(p.name for p in (out / "test").iterdir()) == [str(d) for d in range(10)]
