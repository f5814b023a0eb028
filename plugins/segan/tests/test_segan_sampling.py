"""Slices drawn by tumour area and augmented (Buda et al.'s sampler): the draw favours tumour,
image and mask move together, and a run drawing them still resumes exactly."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import torch
from test_segan_patients import lgg, train  # noqa: F401 (the fixture)

from gantool_segan.data import SegmentationSet
from gantool_segan.sampling import FLOOR, DrawnSlices, area_weights, augment


def _labels(areas: list[int], side: int = 8) -> torch.Tensor:
    labels = torch.zeros(len(areas), side, side, dtype=torch.long)
    for n, area in enumerate(areas):
        labels[n].view(-1)[:area] = 1
    return labels


def test_each_patient_is_drawn_equally_and_its_slices_by_tumour_area():
    weights = area_weights(_labels([0, 10, 30, 0, 0]), groups=[3, 2])
    assert torch.isclose(weights[:3].sum(), torch.tensor(0.5, dtype=torch.float64))
    assert torch.isclose(weights[3:].sum(), torch.tensor(0.5, dtype=torch.float64))
    floor = FLOOR * 40 / 3
    expected = torch.tensor([floor, 10 + floor, 30 + floor], dtype=torch.float64)
    assert torch.allclose(weights[:3], expected / expected.sum() / 2)
    assert weights[3] == weights[4]  # a patient without tumour: uniform over its slices


def test_the_drawn_slices_favour_tumour():
    labels = _labels([0] * 9 + [32])
    data = SegmentationSet(labels[:, None].float(), labels)
    drawn = DrawnSlices(data, area_weights(labels, [10]), augmented=False)
    torch.manual_seed(0)
    tumour = np.mean([drawn[0][1].any().item() for _ in range(400)])
    assert tumour > 0.8  # uniform: 0.1


def test_augmentation_moves_the_image_and_its_mask_together():
    yy, xx = torch.meshgrid(torch.arange(64), torch.arange(64), indexing="ij")
    labels = (((yy - 20) ** 2 + (xx - 40) ** 2) < 100).long()
    image = labels[None].float()
    torch.manual_seed(3)
    changed = []
    for _ in range(8):
        warped, warped_labels = augment(image, labels)
        inside = warped[0] > 0.5
        overlap = (inside & (warped_labels > 0)).sum() / (inside | (warped_labels > 0)).sum()
        assert overlap > 0.85
        changed.append(not torch.equal(warped_labels, labels))
    assert sum(changed) >= 6


def test_a_run_drawing_by_area_with_augmentation_resumes_exactly(run_cli, lgg: Path,  # noqa: F811
                                                                  tmp_path: Path):
    from safetensors.torch import load_file

    run = tmp_path / "run"
    extra = ["--method", "dice-bce", "--sampling", "area", "--augment", "--decay-from", "0.5",
             "--steps", "4", "--checkpoint-every", "2"]
    straight = load_file(train(run_cli, lgg, run, *extra))
    shutil.rmtree(run / "checkpoints" / "step-00000004")
    (run / "checkpoints" / "latest").write_text("step-00000002\n")
    resumed = load_file(train(run_cli, lgg, run, *extra, "--resume"))
    assert all(torch.equal(straight[k], resumed[k]) for k in straight)
