from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from gantool.errors import GantoolError
from gantool_segan.data import class_count, load_set
from gantool_segan.folders import load_pairs, read_mask


def test_phantom_layout_and_labels(phantom: Path, phantom_two: Path):
    pairs = load_pairs(phantom / "train" / "images", phantom / "train" / "masks")
    assert len(pairs) == 12
    assert pairs[0].image.shape == (64, 64, 1)
    assert {int(p.labels.max()) for p in pairs} <= {0, 1}
    assert any(p.labels.any() for p in pairs)
    two = load_set(phantom_two / "train" / "images", phantom_two / "train" / "masks")
    assert class_count(two.labels, 0) == 3
    assert (phantom / "info.json").is_file()


@pytest.mark.parametrize("values, expected", [((0, 255), (0, 1)), ((0, 1), (0, 1)),
                                              ((0, 1, 2), (0, 1, 2))])
def test_binary_and_indexed_masks_are_read_as_labels(tmp_path: Path, values, expected):
    mask = np.array([values], dtype=np.uint8)
    Image.fromarray(mask).save(tmp_path / "m.png")
    assert tuple(read_mask(tmp_path / "m.png")[0]) == expected


def test_soft_or_colour_masks_are_refused(tmp_path: Path):
    Image.fromarray(np.arange(0, 250, 5, dtype=np.uint8)[None]).save(tmp_path / "soft.png")
    with pytest.raises(GantoolError, match="neither binary nor indexed"):
        read_mask(tmp_path / "soft.png")
    colour = np.zeros((2, 2, 3), np.uint8)
    colour[0, 0] = (255, 0, 0)
    Image.fromarray(colour).save(tmp_path / "colour.png")
    with pytest.raises(GantoolError, match="colour image"):
        read_mask(tmp_path / "colour.png")


def test_class_count_refuses_labels_beyond_the_requested_classes(phantom_two: Path):
    data = load_set(phantom_two / "train" / "images", phantom_two / "train" / "masks")
    with pytest.raises(GantoolError, match="--classes 3"):
        class_count(data.labels, 2)
