"""Photo -> labels scoring: label maps read through their class colours (the FCN-score triplet)."""

import numpy as np
import torch

from gantool_translation.evaluation import label_agreement
from gantool_translation.recipes.facades import label_colours

COLOURS = torch.tensor([[0.0, 0.0, 255.0], [255.0, 0.0, 0.0], [0.0, 255.0, 0.0]])


def _map(classes: list[list[int]]) -> torch.Tensor:
    """A 1 x 3 x H x W label map in [0, 1], slightly off its colours as a JPEG would be."""
    picked = COLOURS[torch.tensor(classes)]  # H x W x 3
    return ((picked + 20).clamp(0, 255) / 255).permute(2, 0, 1)[None]


def test_a_perfect_map_scores_one_and_a_flat_map_scores_its_share():
    truth = _map([[0, 0, 0, 1]])
    assert label_agreement(truth, truth, COLOURS) == {"pixel_acc": 1.0, "class_acc": 1.0,
                                                      "class_iou": 1.0}
    flat = label_agreement(_map([[0, 0, 0, 0]]), truth, COLOURS)
    assert flat["pixel_acc"] == 0.75
    assert flat["class_acc"] == 0.5  # class 0 all right, class 1 all wrong
    assert flat["class_iou"] == (0.75 + 0.0) / 2  # class 2 is absent from the truth: not counted


def test_the_facades_colours_are_jets_twelve_steps():
    colours = label_colours()
    assert colours.shape == (12, 3)
    np.testing.assert_allclose(colours[0], [0, 0, 212.5])  # the darkest blue
    np.testing.assert_allclose(colours[5], [127.5, 255, 127.5])
    np.testing.assert_allclose(colours[-1], [127.5, 0, 0])  # the darkest red
