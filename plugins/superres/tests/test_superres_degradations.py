"""Training inputs degraded as real photos are, and evaluation on JPEG-saved inputs."""

from __future__ import annotations

import pytest
import torch
from PIL import Image
from superres_fixtures import photo
from test_superres_train import tiny_config, train

from gantool_superres.config import SuperResEval
from gantool_superres.data import PatchDataset
from gantool_superres.degradations import degrade, gaussian_kernel, jpeg
from gantool_superres.evaluation import BICUBIC, PSNR_MODEL, REAL_MODEL, measure


@pytest.fixture
def photos(tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    for i in range(2):
        Image.fromarray(photo(96, 80, seed=i)).save(folder / f"p{i}.png")
    return folder


def test_the_blur_kernel_is_normalised_and_oriented():
    wide = gaussian_kernel(3.0, 0.5, angle=0.0)
    assert torch.isclose(wide.sum(), torch.tensor(1.0))
    centre = wide.shape[0] // 2
    assert wide[centre, centre + 3] > 10 * wide[centre + 3, centre]  # spread along x
    turned = gaussian_kernel(3.0, 0.5, angle=torch.pi / 2)
    assert torch.allclose(turned, wide.T, atol=1e-6)


def test_jpeg_loses_more_at_lower_quality():
    image = torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(0))
    assert (jpeg(image, 30) - image).abs().mean() > (jpeg(image, 95) - image).abs().mean()


def test_degraded_inputs_are_8_bit_repeatable_and_drawn_per_crop():
    hr = torch.rand(3, 64, 64, generator=torch.Generator().manual_seed(1))
    first = degrade(hr, 4, torch.Generator().manual_seed(5))
    assert first.shape == (3, 16, 16)
    assert torch.equal(first, (first * 255).round() / 255)
    assert torch.equal(first, degrade(hr, 4, torch.Generator().manual_seed(5)))
    assert not torch.equal(first, degrade(hr, 4, torch.Generator().manual_seed(6)))


def test_real_degradation_patches_differ_from_bicubic_ones_with_the_same_crops(photos):
    clean = PatchDataset(photos, patch=8, scale=4, crops_per_image=2, seed=0)
    real = PatchDataset(photos, patch=8, scale=4, crops_per_image=2, seed=0, degradation="real")
    assert torch.equal(clean[1][1], real[1][1])  # the same target crop
    assert real[1][0].shape == clean[1][0].shape and not torch.equal(real[1][0], clean[1][0])


def test_a_model_trained_on_real_degradations_is_scored_beside_the_others(tmp_path, photos):
    weights = train(tiny_config(photos, degradation="real", adversarial_steps=0), tmp_path / "r")
    means, paths, count = measure(SuperResEval(data=photos, psnr_weights=weights,
                                               gan_weights=weights, real_weights=weights,
                                               jpeg_quality=50))
    assert paths[REAL_MODEL] == weights and count == 2
    assert means[REAL_MODEL] == means[PSNR_MODEL]  # the same weights, the same JPEG inputs


def test_eval_on_jpeg_inputs_scores_bicubic_lower(photos):
    clean, _, _ = measure(SuperResEval(data=photos))
    saved, _, _ = measure(SuperResEval(data=photos, jpeg_quality=20))
    assert saved[BICUBIC]["psnr"] < clean[BICUBIC]["psnr"] - 0.1


@pytest.mark.parametrize("quality", ["0", "101"])
def test_a_jpeg_quality_outside_1_to_100_is_one_line(run_cli, photos, quality):
    from gantool.testing import one_line_error

    one_line_error(run_cli("eval", "superres", "--data", photos, "--jpeg-quality", quality),
                   "--jpeg-quality must be")


def test_the_jpeg_degradation_is_the_clean_downscale_saved_as_jpeg():
    from gantool_superres.resample import downscale

    hr = torch.rand(3, 64, 64, generator=torch.Generator().manual_seed(2))
    lr = degrade(hr, 4, torch.Generator().manual_seed(7), "jpeg")
    qualities = {q: jpeg(downscale(hr, 4), q) for q in range(30, 96)}
    assert any(torch.equal(lr, candidate) for candidate in qualities.values())
    assert not torch.equal(lr, downscale(hr, 4))
