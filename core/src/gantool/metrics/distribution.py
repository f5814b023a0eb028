"""Two-sample metrics on feature matrices (N x D): how far generated data is from real data.

Everything is computed in float64 numpy: FID's matrix square root and MMD's cancelling sums
lose too much in float32.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import xlogy
from torch import Tensor

Features = Tensor | ArrayLike


def _matrix(x: Features, what: str = "features") -> np.ndarray:
    """A float64 N x D array with N >= 2, or a ValueError naming the misuse."""
    if isinstance(x, Tensor):
        x = x.detach().cpu().double().numpy()
    array = np.asarray(x, dtype=np.float64)
    if array.ndim != 2 or array.shape[0] < 2:
        raise ValueError(f"{what} must be an N x D matrix with N >= 2, got shape {array.shape}")
    return array


def _pair(x: Features, y: Features) -> tuple[np.ndarray, np.ndarray]:
    a, b = _matrix(x), _matrix(y)
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"feature dimensions differ: {a.shape[1]} vs {b.shape[1]}")
    return a, b


def _sq_distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    d = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2.0 * a @ b.T
    return np.maximum(d, 0.0)


def _psd_sqrt(s: np.ndarray) -> np.ndarray:
    w, v = np.linalg.eigh(s)
    return (v * np.sqrt(np.clip(w, 0.0, None))) @ v.T


def fid(real_features: Features, fake_features: Features) -> float:
    """Fréchet distance between Gaussians fitted to two feature sets (Heusel et al. 2017).

    Tr((S1 S2)^1/2) is taken as the sum of square roots of the eigenvalues of the symmetric
    S1^1/2 S2 S1^1/2 (same spectrum): no complex parts, stable for singular covariances.
    """
    a, b = _pair(real_features, fake_features)
    mu1, mu2 = a.mean(0), b.mean(0)
    s1, s2 = np.atleast_2d(np.cov(a, rowvar=False)), np.atleast_2d(np.cov(b, rowvar=False))
    root1 = _psd_sqrt(s1)
    cross = np.sqrt(np.clip(np.linalg.eigvalsh(root1 @ s2 @ root1), 0.0, None)).sum()
    return float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2.0 * cross)


def _unbiased_mmd2(kxx: np.ndarray, kyy: np.ndarray, kxy: np.ndarray) -> float:
    """U-statistic MMD^2: within-set sums skip i == j, so the expectation is exactly MMD^2."""
    n, m = kxx.shape[0], kyy.shape[0]
    xx = (kxx.sum() - np.trace(kxx)) / (n * (n - 1))
    yy = (kyy.sum() - np.trace(kyy)) / (m * (m - 1))
    return float(xx + yy - 2.0 * kxy.mean())


def _polynomial(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """KID's kernel (x.y / d + 1)^3: no bandwidth to tune, so results compare across papers."""
    return (a @ b.T / a.shape[1] + 1.0) ** 3


def kid(
    real_features: Features,
    fake_features: Features,
    subsets: int = 100,
    subset_size: int = 1000,
    seed: int = 0,
) -> tuple[float, float]:
    """Kernel Inception Distance (Bińkowski et al. 2018): (mean, std) of MMD^2 over subsets.

    Unbiased, so it is comparable across sample sizes (unlike FID) and may dip below zero.
    Subsets are drawn without replacement, of at most the smaller set's size.
    """
    a, b = _pair(real_features, fake_features)
    size = min(subset_size, a.shape[0], b.shape[0])
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(subsets):
        x = a[rng.choice(a.shape[0], size, replace=False)]
        y = b[rng.choice(b.shape[0], size, replace=False)]
        values.append(_unbiased_mmd2(_polynomial(x, x), _polynomial(y, y), _polynomial(x, y)))
    return float(np.mean(values)), float(np.std(values))


def mmd(
    x: Features,
    y: Features,
    kernel: Literal["rbf", "polynomial"] = "rbf",
    bandwidth: float | None = None,
) -> float:
    """Unbiased kernel MMD^2 (Gretton et al. 2012) between two samples; O(N^2) memory.

    The RBF kernel is exp(-|a - b|^2 / (2 bandwidth^2)); without a bandwidth the median
    pairwise distance of the pooled samples is used (the median heuristic), which adapts
    to the features' scale. `polynomial` is KID's kernel on the full sets.
    """
    a, b = _pair(x, y)
    if kernel == "polynomial":
        return _unbiased_mmd2(_polynomial(a, a), _polynomial(b, b), _polynomial(a, b))
    if kernel != "rbf":
        raise ValueError(f"unknown kernel {kernel!r}; use 'rbf' or 'polynomial'")
    dxx, dyy, dxy = _sq_distances(a, a), _sq_distances(b, b), _sq_distances(a, b)
    if bandwidth is None:
        pooled = np.concatenate([dxx[np.triu_indices_from(dxx, 1)],
                                 dyy[np.triu_indices_from(dyy, 1)], dxy.ravel()])
        bandwidth = float(np.sqrt(np.median(pooled)))
    if not bandwidth > 0:
        raise ValueError(f"bandwidth must be positive, got {bandwidth} (are all samples equal?)")
    gamma = 1.0 / (2.0 * bandwidth**2)
    return _unbiased_mmd2(np.exp(-gamma * dxx), np.exp(-gamma * dyy), np.exp(-gamma * dxy))


def one_nn_accuracy(real_features: Features, fake_features: Features, chunk: int = 1024) -> float:
    """Leave-one-out 1-NN two-sample test accuracy (Lopez-Paz & Oquab 2017; Xu et al. 2018).

    Each point is labelled by its nearest other point. 0.5 means the sets are
    indistinguishable (for equal sizes); 1.0 that they are fully separated; well below 0.5
    that fakes sit on top of real points (memorisation). Computed in row chunks so memory
    stays O(chunk * N).
    """
    a, b = _pair(real_features, fake_features)
    points = np.concatenate([a, b])
    labels = np.arange(len(points)) >= len(a)
    correct = 0
    for start in range(0, len(points), chunk):
        rows = points[start:start + chunk]
        d = _sq_distances(rows, points)
        d[np.arange(len(rows)), start + np.arange(len(rows))] = np.inf  # leave the point out
        correct += int((labels[d.argmin(1)] == labels[start:start + len(rows)]).sum())
    return correct / len(points)


def inception_score(probabilities: Features, splits: int = 10) -> tuple[float, float]:
    """Inception Score (Salimans et al. 2016): exp E KL(p(y|x) || p(y)), (mean, std) over splits.

    Takes class probabilities rather than images so any classifier can supply them; the
    score ranges from 1 to the number of classes.
    """
    p = _matrix(probabilities, "probabilities")
    if p.min() < 0 or not np.allclose(p.sum(1), 1.0, atol=1e-3):
        raise ValueError("probabilities must be non-negative rows summing to 1 (apply softmax)")
    if not 1 <= splits <= len(p):
        raise ValueError(f"splits must be between 1 and the {len(p)} samples, got {splits}")
    scores = []
    for part in np.array_split(p, splits):
        marginal = part.mean(0, keepdims=True)
        kl = (xlogy(part, part) - xlogy(part, marginal)).sum(1).mean()
        scores.append(np.exp(kl))
    return float(np.mean(scores)), float(np.std(scores))


def distribution_metrics(
    real_features: Features, fake_features: Features, extractor_name: str, seed: int = 0
) -> dict[str, Any]:
    """FID, KID and 1-NN accuracy in one dict that names the extractor they were computed in."""
    a, b = _pair(real_features, fake_features)
    kid_mean, kid_std = kid(a, b, seed=seed)
    return {
        "fid": fid(a, b),
        "kid": kid_mean,
        "kid_std": kid_std,
        "one_nn": one_nn_accuracy(a, b),
        "extractor": extractor_name,
    }
