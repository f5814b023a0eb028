"""The evaluation measures behave as the SR protocol expects."""

import math

import torch

from gantool_superres.metrics import compare, luma
from gantool_superres.resample import bicubic_upscale, downscale


def test_identical_images_score_perfectly():
    truth = torch.rand(1, 3, 32, 32)
    scores = compare(truth, truth, 4)
    assert math.isinf(scores["psnr"]) and abs(scores["ssim"] - 1) < 1e-9
    assert abs(scores["hf_ratio"] - 1) < 1e-9


def test_bicubic_loses_high_frequencies():
    truth = torch.rand(1, 3, 64, 64)
    scores = compare(bicubic_upscale(downscale(truth, 4), 4), truth, 4)
    assert scores["hf_ratio"] < 0.3 and scores["psnr"] < 30


def test_luma_uses_studio_swing():
    assert torch.allclose(luma(torch.zeros(1, 3, 1, 1)), torch.tensor(16 / 255))
    assert torch.allclose(luma(torch.ones(1, 3, 1, 1)), torch.tensor(235 / 255), atol=1e-4)
