"""Metrics against closed forms and independent numpy/scipy computations."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg
import scipy.signal
import torch

from gantool.errors import GantoolError
from gantool.metrics import (
    InceptionFeatures,
    distribution_metrics,
    extract_features,
    fid,
    inception_score,
    kid,
    mmd,
    one_nn_accuracy,
    psnr,
    rgb_to_y,
    ssim,
)


def _gaussians(seed: int = 0, d: int = 4) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=(d, d)), rng.normal(size=(d, d))
    return (np.zeros(d), a @ a.T / d + 0.5 * np.eye(d),
            np.linspace(-1.0, 1.0, d), b @ b.T / d + 0.2 * np.eye(d))


def _reference_fid(x: np.ndarray, y: np.ndarray) -> float:
    """The textbook formula with scipy's general matrix square root."""
    mu1, mu2 = x.mean(0), y.mean(0)
    s1, s2 = np.cov(x.T), np.cov(y.T)
    return float(((mu1 - mu2) ** 2).sum()
                 + np.trace(s1 + s2 - 2 * scipy.linalg.sqrtm(s1 @ s2).real))


def test_fid_matches_closed_form_for_gaussians():
    mu1, s1, mu2, s2 = _gaussians()
    closed = ((mu1 - mu2) ** 2).sum() + np.trace(s1 + s2 - 2 * scipy.linalg.sqrtm(s1 @ s2).real)
    rng = np.random.default_rng(1)
    x = rng.multivariate_normal(mu1, s1, 200_000)
    y = rng.multivariate_normal(mu2, s2, 200_000)
    assert fid(x, y) == pytest.approx(closed, rel=0.03)
    assert closed > 1.0  # the case is not trivially near zero


def test_fid_matches_scipy_sqrtm_on_samples_and_accepts_tensors():
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(300, 6)), rng.normal(size=(300, 6)) * 1.5 + 0.3
    assert fid(torch.from_numpy(x).float(), y) == pytest.approx(_reference_fid(x, y), rel=1e-5)
    assert fid(x, x) == pytest.approx(0.0, abs=1e-8)


def test_fid_is_finite_for_singular_covariances():
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(5, 20)), rng.normal(size=(5, 20))  # rank 4 < 20 dimensions
    assert np.isfinite(fid(x, y)) and fid(x, y) > 0


def _reference_kid(x: np.ndarray, y: np.ndarray) -> float:
    """Direct unbiased MMD^2 with the cubic polynomial kernel, via off-diagonal masks."""
    d = x.shape[1]
    kxx, kyy, kxy = ((x @ x.T / d + 1) ** 3, (y @ y.T / d + 1) ** 3, (x @ y.T / d + 1) ** 3)
    off = ~np.eye(len(x), dtype=bool)
    return float(kxx[off].mean() + kyy[off].mean() - 2 * kxy.mean())


def test_kid_matches_direct_numpy_on_the_full_sets():
    rng = np.random.default_rng(4)
    x, y = rng.normal(size=(150, 8)), rng.normal(size=(150, 8)) + 0.4
    mean, std = kid(x, y, subsets=3, subset_size=1000)  # subsets are permutations of the sets
    assert mean == pytest.approx(_reference_kid(x, y), rel=1e-9)
    assert std == pytest.approx(0.0, abs=1e-9)
    assert mmd(x, y, kernel="polynomial") == pytest.approx(_reference_kid(x, y), rel=1e-9)


def test_kid_near_zero_for_same_distribution_and_positive_otherwise():
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=(2000, 8)), rng.normal(size=(2000, 8))
    same, same_std = kid(x, y, subsets=10, subset_size=500)
    shifted, _ = kid(x, y + 0.5, subsets=10, subset_size=500)
    assert abs(same) < 0.01 and same_std > 0
    assert shifted > 0.5
    assert kid(x, y, subsets=5, subset_size=100, seed=7) == kid(x, y, subsets=5, subset_size=100,
                                                                 seed=7)


def test_mmd_is_unbiased_and_separates_distributions():
    rng = np.random.default_rng(6)
    same = [mmd(rng.normal(size=(30, 2)), rng.normal(size=(30, 2))) for _ in range(200)]
    # The biased V-statistic would average about +0.03 here.
    assert abs(np.mean(same)) < 0.006
    x, y = rng.normal(size=(300, 4)), rng.normal(size=(300, 4))
    assert mmd(x, y + 3.0) > 0.5
    assert mmd(x, y + 3.0) > 20 * abs(mmd(x, y))


def test_mmd_rbf_matches_direct_computation_with_fixed_bandwidth():
    rng = np.random.default_rng(7)
    x, y = rng.normal(size=(40, 3)), rng.normal(size=(50, 3)) + 0.5
    k = lambda a, b: np.exp(-((a[:, None] - b[None]) ** 2).sum(-1) / (2 * 1.3**2))  # noqa: E731
    kxx, kyy = k(x, x), k(y, y)
    expected = ((kxx.sum() - 40) / (40 * 39) + (kyy.sum() - 50) / (50 * 49)
                - 2 * k(x, y).mean())
    assert mmd(x, y, bandwidth=1.3) == pytest.approx(expected, rel=1e-9)
    with pytest.raises(ValueError, match="kernel"):
        mmd(x, y, kernel="laplace")


def test_one_nn_accuracy():
    rng = np.random.default_rng(8)
    x, y = rng.normal(size=(300, 5)), rng.normal(size=(300, 5))
    assert one_nn_accuracy(x, y) == pytest.approx(0.5, abs=0.07)
    assert one_nn_accuracy(x, y + 10.0) == 1.0
    # Leave-one-out: a copied set puts every point's nearest neighbour in the other set.
    assert one_nn_accuracy(x, x.copy()) == 0.0
    assert one_nn_accuracy(x, y + 10.0, chunk=7) == 1.0


def test_inception_score_extremes():
    classes, n = 10, 1000
    confident_uniform = np.eye(classes)[np.arange(n) % classes]
    mean, std = inception_score(confident_uniform, splits=10)
    assert mean == pytest.approx(classes) and std == pytest.approx(0.0, abs=1e-9)
    identical = np.tile(np.random.default_rng(9).dirichlet(np.ones(classes)), (n, 1))
    assert inception_score(identical)[0] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="softmax"):
        inception_score(np.random.default_rng(0).normal(size=(100, classes)))


def test_distribution_metrics_names_the_extractor():
    rng = np.random.default_rng(10)
    x, y = rng.normal(size=(100, 4)), rng.normal(size=(100, 4)) + 1.0
    result = distribution_metrics(torch.from_numpy(x), torch.from_numpy(y), "toy-extractor")
    assert set(result) == {"fid", "kid", "kid_std", "one_nn", "extractor"}
    assert result["extractor"] == "toy-extractor"
    assert result["fid"] == pytest.approx(fid(x, y))
    assert result["kid"] == pytest.approx(kid(x, y)[0])
    assert result["one_nn"] == one_nn_accuracy(x, y)


class ChannelMeans:
    """A tiny extractor: per-channel means, recording the batch sizes it saw."""

    name = "channel-means"

    def __init__(self) -> None:
        self.batches: list[int] = []

    def __call__(self, images: torch.Tensor) -> torch.Tensor:
        assert not torch.is_grad_enabled()
        self.batches.append(images.shape[0])
        return images.mean((2, 3))


def test_extract_features_batches_tensors_and_loaders():
    images = torch.rand(10, 3, 4, 4)
    extractor = ChannelMeans()
    features = extract_features(extractor, images, batch_size=4)
    assert extractor.batches == [4, 4, 2]
    assert torch.allclose(features, images.mean((2, 3)))
    loader = [(images[:6], torch.zeros(6)), (images[6:], torch.zeros(4))]
    assert torch.equal(extract_features(ChannelMeans(), loader, batch_size=4), features)

    class Unflattened:
        name = "unflattened"

        def __call__(self, images: torch.Tensor) -> torch.Tensor:
            return images

    with pytest.raises(ValueError, match="N x D"):
        extract_features(Unflattened(), images)


def test_inception_features_need_local_weights(tmp_path, monkeypatch):
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path))
    with pytest.raises(GantoolError, match="weights path"):
        InceptionFeatures()
    with pytest.raises(GantoolError, match="not found"):
        InceptionFeatures(weights=tmp_path / "missing.pth")


@pytest.mark.slow  # importing torchvision alone takes seconds
def test_inception_features_load_from_the_hub_cache(tmp_path, monkeypatch):
    from torchvision.models import inception_v3

    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path))
    bad = tmp_path / "bad.pth"
    torch.save({"fc.weight": torch.zeros(1)}, bad)
    with pytest.raises(GantoolError, match="not an Inception-v3 state dict"):
        InceptionFeatures(weights=bad)
    cached = tmp_path / "checkpoints" / "inception_v3_google-0123abcd.pth"
    cached.parent.mkdir()
    torch.save(inception_v3(aux_logits=True, init_weights=False).state_dict(), cached)
    extractor = InceptionFeatures()
    grey = torch.rand(2, 1, 32, 32)
    assert extract_features(extractor, grey).shape == (2, 2048)
    assert torch.allclose(extractor.probabilities(grey).sum(1), torch.ones(2))


def test_psnr_of_known_mse():
    x = torch.zeros(2, 3, 8, 8)
    y = torch.cat([torch.full((1, 3, 8, 8), 0.1), torch.full((1, 3, 8, 8), 0.01)])
    # Per-image PSNRs 20 and 40 dB average to 30 (the pooled MSE would give ~23).
    assert psnr(x, y) == pytest.approx(30.0, abs=1e-3)
    assert psnr(x[0], y[0] * 255, max_val=255.0) == pytest.approx(20.0, abs=1e-3)


def test_ssim_identical_and_constant_images():
    x = torch.rand(2, 3, 32, 32, generator=torch.Generator().manual_seed(0))
    assert ssim(x, x) == pytest.approx(1.0, abs=1e-6)
    noisy = (x + 0.3 * torch.randn(x.shape, generator=torch.Generator().manual_seed(1))).clamp(0, 1)
    assert ssim(x, noisy) < 0.8
    assert ssim(x, noisy) == pytest.approx(ssim(noisy, x))
    a, b, c1 = 0.2, 0.6, 0.01**2
    flat_a, flat_b = torch.full((1, 1, 16, 16), a), torch.full((1, 1, 16, 16), b)
    assert ssim(flat_a, flat_b) == pytest.approx((2 * a * b + c1) / (a * a + b * b + c1), rel=1e-4)


def _reference_ssim(x: np.ndarray, y: np.ndarray, c1: float = 0.01**2,
                    c2: float = 0.03**2) -> float:
    """Wang et al.'s SSIM on one channel: 11-tap Gaussian (sigma 1.5), valid windows only."""
    g = np.exp(-((np.arange(11) - 5.0) ** 2) / (2 * 1.5**2))
    w = np.outer(g, g) / np.outer(g, g).sum()
    f = lambda a: scipy.signal.correlate2d(a, w, mode="valid")  # noqa: E731
    mx, my = f(x), f(y)
    vx, vy, cxy = f(x * x) - mx**2, f(y * y) - my**2, f(x * y) - mx * my
    ssim_map = ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx**2 + my**2 + c1) * (vx + vy + c2))
    return float(ssim_map.mean())


def test_ssim_matches_reference_with_valid_windows():
    gen = torch.Generator().manual_seed(2)
    x = torch.rand(1, 1, 24, 24, generator=gen, dtype=torch.float64)
    y = (x + 0.2 * torch.randn(x.shape, generator=gen, dtype=torch.float64)).clamp(0, 1)
    expected = _reference_ssim(x[0, 0].numpy(), y[0, 0].numpy())
    assert ssim(x, y) == pytest.approx(expected, rel=1e-6)


def test_rgb_to_y_on_known_colours():
    colours = torch.tensor([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0], [1.0, 0.0, 0.0],
                            [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    images = colours[:, :, None, None].expand(-1, -1, 2, 2)
    y = rgb_to_y(images)
    assert y.shape == (5, 1, 2, 2)
    expected = torch.tensor([16.0, 235.0, 16 + 65.481, 16 + 128.553, 16 + 24.966]) / 255
    assert torch.allclose(y[:, 0, 0, 0], expected)
    with pytest.raises(ValueError, match="RGB"):
        rgb_to_y(torch.rand(1, 1, 2, 2))


def test_lab_histogram_intersection_is_one_for_equal_colours_and_low_for_grey():
    from gantool.metrics import lab_histogram_intersection

    torch.manual_seed(0)
    colour = torch.rand(4, 3, 16, 16)
    same = lab_histogram_intersection(colour, colour.flip(0))  # same pixels, other order
    assert all(abs(v - 1.0) < 1e-6 for v in same.values())
    grey = colour.mean(1, keepdim=True)
    to_grey = lab_histogram_intersection(grey, colour)
    assert to_grey["a"] < 0.5 and to_grey["b"] < 0.5
    assert to_grey["a"] < lab_histogram_intersection(colour * 0.9, colour)["a"]


def _photo_like(count: int, side: int, seed: int) -> torch.Tensor:
    """Grey images with a photo's 1/f amplitude spectrum and random phases, in [0, 1]."""
    generator = torch.Generator().manual_seed(seed)
    frequency = torch.fft.fftfreq(side)
    radius = (frequency[:, None] ** 2 + frequency[None] ** 2).sqrt().clamp(min=1 / side)
    noise = torch.fft.fft2(torch.randn(count, 1, side, side, generator=generator))
    images = torch.fft.ifft2(noise / radius).real
    images = images - images.amin((2, 3), keepdim=True)
    return images / images.amax((2, 3), keepdim=True)


def _checker(side: int, period: int) -> torch.Tensor:
    """A +-1 pattern repeating every `period` pixels on both axes."""
    phase = (torch.arange(side) // (period // 2)) % 2
    return (phase[:, None] ^ phase[None]).float() * 2 - 1


def test_checkerboard_db_is_near_zero_for_photo_like_images_and_high_with_a_checker():
    from gantool.metrics import checkerboard_db

    photos = _photo_like(8, 128, seed=0)
    assert abs(checkerboard_db(photos)) < 1.0
    for period in (2, 4):
        # 3 grey levels, its sign flipping between the image's halves, as a layer's varies
        envelope = torch.ones(128, 128)
        envelope[64:] = -1
        checkered = (photos + 3 / 255 * envelope * _checker(128, period)).clamp(0, 1)
        assert checkerboard_db(checkered) > 5.0
    uniform = checkerboard_db((photos + 3 / 255 * _checker(128, 2)).clamp(0, 1))
    fainter = checkerboard_db((photos + 0.5 / 255 * _checker(128, 2)).clamp(0, 1))
    assert uniform > 10.0 and 1.0 < fainter < uniform


def test_checkerboard_db_reads_rgb_as_its_luma_and_refuses_small_or_odd_shapes():
    from gantool.metrics import checkerboard_db

    grey = (_photo_like(2, 64, seed=1) + 2 / 255 * _checker(64, 2)).clamp(0, 1)
    assert checkerboard_db(grey.expand(-1, 3, -1, -1)) == pytest.approx(checkerboard_db(grey))
    with pytest.raises(ValueError, match="at least 44 px"):
        checkerboard_db(torch.rand(1, 3, 40, 64))
    with pytest.raises(ValueError, match="NCHW"):
        checkerboard_db(torch.rand(3, 64, 64))
