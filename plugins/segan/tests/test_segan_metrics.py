import math

import numpy as np
import pytest

from gantool_segan.metrics import hd95, scores


def square(top: int, left: int, side: int, size: int = 32) -> np.ndarray:
    mask = np.zeros((size, size), bool)
    mask[top : top + side, left : left + side] = True
    return mask


def test_identical_masks_score_perfectly():
    result = scores(square(4, 4, 8), square(4, 4, 8))
    assert result == {"dice": 1.0, "iou": 1.0, "precision": 1.0, "sensitivity": 1.0,
                      "hd95": 0.0}


def test_overlap_ratios_match_their_definitions():
    predicted, truth = square(0, 0, 4), square(0, 2, 4)  # 8 of 16 pixels shared
    result = scores(predicted, truth)
    assert result["dice"] == pytest.approx(2 * 8 / 32)
    assert result["iou"] == pytest.approx(8 / 24)
    assert result["precision"] == pytest.approx(0.5)
    assert result["sensitivity"] == pytest.approx(0.5)


def test_hd95_of_a_shifted_square_is_the_shift():
    assert hd95(square(4, 4, 10), square(4, 7, 10)) == pytest.approx(3.0)


def test_empty_mask_conventions():
    empty = np.zeros((32, 32), bool)
    assert scores(empty, empty) == {"dice": 1.0, "iou": 1.0, "precision": 1.0,
                                    "sensitivity": 1.0, "hd95": 0.0}
    missed = scores(empty, square(2, 2, 5))
    invented = scores(square(2, 2, 5), empty)
    for result in (missed, invented):
        assert result["dice"] == result["iou"] == 0.0
        assert result["precision"] == result["sensitivity"] == 0.0
        assert result["hd95"] == pytest.approx(math.hypot(32, 32))
