"""The evaluation measures behave as the SR protocol expects."""

import math

import numpy as np
import torch
from PIL import Image

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


def test_bicubic_baseline_is_pils_bicubic():
    generator = torch.Generator().manual_seed(0)
    # mid-grey noise: no overshoot past [0, 1], which PIL clips between its two 8-bit passes
    lr = ((0.3 + 0.4 * torch.rand(1, 3, 12, 10, generator=generator)) * 255).round() / 255
    pil = Image.fromarray((lr[0].permute(1, 2, 0) * 255).round().byte().numpy())
    expected = np.asarray(pil.resize((40, 48), Image.BICUBIC), dtype=np.float32) / 255
    ours = bicubic_upscale(lr, 4)[0].permute(1, 2, 0).numpy()
    assert np.abs(ours - expected).max() <= 1.5 / 255
    assert np.abs(bicubic_upscale(lr, 4, sharp=True)[0].permute(1, 2, 0).numpy()
                  - expected).max() > 5 / 255


def test_luma_uses_studio_swing():
    assert torch.allclose(luma(torch.zeros(1, 3, 1, 1)), torch.tensor(16 / 255))
    assert torch.allclose(luma(torch.ones(1, 3, 1, 1)), torch.tensor(235 / 255), atol=1e-4)
