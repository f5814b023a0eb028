"""Conversion of WORLD features to a target speaker, and the distortion it is scored by."""

from __future__ import annotations

import numpy as np
import torch
from scipy.spatial.distance import cdist
from torch import nn

from gantool.train.devices import device_of
from gantool_vawgan.world import Features

MCD_SCALE = 10.0 / np.log(10.0) * np.sqrt(2.0)


@torch.no_grad()
def reconstruct(networks: dict[str, nn.Module], mcep: np.ndarray, speaker: int) -> np.ndarray:
    """Mel-cepstra decoded from the mean code of each frame as `speaker`; c0 (energy) kept.
    The networks may be on a GPU (evaluation during training): the frames go to them and
    the result comes back to the CPU."""
    stats = networks["stats"]
    device = device_of(stats)
    x = stats.normalise(torch.from_numpy(mcep[:, 1:]).float().to(device))
    code, _ = networks["encoder"](x)
    target = torch.full((len(x),), speaker, dtype=torch.long, device=device)
    out = mcep.copy()
    out[:, 1:] = stats.denormalise(networks["decoder"](code, target)).double().cpu().numpy()
    return out


def convert_f0(f0: np.ndarray, source: tuple[float, float], target: tuple[float, float]
               ) -> np.ndarray:
    """Log-Gaussian normalised transform: voiced log F0 mapped from the source's mean and
    deviation to the target's; unvoiced frames stay 0."""
    out = np.zeros_like(f0)
    voiced = f0 > 0
    out[voiced] = np.exp((np.log(f0[voiced]) - source[0]) / source[1] * target[1] + target[0])
    return out


def utterance_log_f0(f0: np.ndarray) -> tuple[float, float]:
    """Mean and deviation of one utterance's voiced log F0: the source statistics when the
    source speaker is unknown."""
    voiced = np.log(f0[f0 > 0])
    return float(voiced.mean()), float(max(voiced.std(), 1e-3))


def convert(networks: dict[str, nn.Module], features: Features, target: int,
            source_log_f0: tuple[float, float]) -> Features:
    """`features` as spoken by speaker `target`: envelope through the VAE, F0 transformed,
    aperiodicity kept."""
    target_log_f0 = tuple(networks["stats"].log_f0[target].tolist())
    return Features(convert_f0(features.f0, source_log_f0, target_log_f0),
                    reconstruct(networks, features.mcep, target), features.ap)


def dtw_path(cost: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Minimum-cost monotonic alignment (steps (1,0), (0,1), (1,1)) of a cost matrix.

    Each row is solved at once: with S the row's cumulative cost,
    D[i, j] = S[j] + min_{k<=j} (min(D[i-1, k-1], D[i-1, k]) - S[k-1]), a cumulative minimum.
    """
    n, m = cost.shape
    total = np.empty((n, m))
    total[0] = np.cumsum(cost[0])
    for i in range(1, n):
        above = total[i - 1]
        best = np.minimum(above, np.concatenate([[np.inf], above[:-1]]))
        running = np.cumsum(cost[i])
        before = np.concatenate([[0.0], running[:-1]])
        total[i] = running + np.minimum.accumulate(best - before)
    i, j = n - 1, m - 1
    path = [(i, j)]
    while i > 0 or j > 0:
        options = []
        if i > 0 and j > 0:
            options.append((total[i - 1, j - 1], i - 1, j - 1))
        if i > 0:
            options.append((total[i - 1, j], i - 1, j))
        if j > 0:
            options.append((total[i, j - 1], i, j - 1))
        _, i, j = min(options)
        path.append((i, j))
    rows, cols = np.array(path[::-1]).T
    return rows, cols


def alignment(reference: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, np.ndarray,
                                                                np.ndarray]:
    """The DTW path pairing the frames of two mel-cepstral sequences (coefficients 1..order)
    and the Euclidean distance of each pair."""
    cost = cdist(reference[:, 1:], test[:, 1:])
    rows, cols = dtw_path(cost)
    return rows, cols, cost[rows, cols]


def mel_cepstral_distortion(reference: np.ndarray, test: np.ndarray) -> float:
    """MCD in dB over coefficients 1..order, DTW-aligned: 10 / ln 10 * sqrt(2 sum (dc)^2)."""
    return float(MCD_SCALE * alignment(reference, test)[2].mean())


def f0_agreement(reference: np.ndarray, test: np.ndarray, rows: np.ndarray, cols: np.ndarray
                 ) -> tuple[float, float]:
    """RMSE (Hz) and Pearson correlation of two F0 tracks over the aligned frame pairs voiced
    in both; nan where fewer than two pairs are."""
    a, b = reference[rows], test[cols]
    both = (a > 0) & (b > 0)
    if both.sum() < 2:
        return float("nan"), float("nan")
    a, b = a[both], b[both]
    correlation = np.corrcoef(a, b)[0, 1] if a.std() > 0 and b.std() > 0 else float("nan")
    return float(np.sqrt(np.mean((a - b) ** 2))), float(correlation)
