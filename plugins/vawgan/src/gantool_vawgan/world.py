"""WORLD analysis and synthesis, with the spectral envelope coded as a mel-cepstrum.

The envelope (fft_size / 2 + 1 power bins) is coded by the cepstrum of its log amplitude on a
frequency axis warped by the all-pass constant `alpha` (0.42 at 16 kHz approximates the mel
scale), truncated to `order` + 1 coefficients: the standard features of voice conversion, on
the scale mel-cepstral distortion is quoted in. Decoding evaluates the truncated series at the
warped frequencies of the linear bins, so coding and decoding are two matrix products.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

with warnings.catch_warnings():  # pyworld 0.3.5 imports the deprecated pkg_resources
    warnings.simplefilter("ignore")
    import pyworld

from gantool.errors import GantoolError

ALPHA = 0.42


@dataclass
class Features:
    """Per-frame WORLD parameters: F0 in Hz (0 = unvoiced), mel-cepstrum, aperiodicity."""

    f0: np.ndarray
    mcep: np.ndarray
    ap: np.ndarray


def warp(omega: np.ndarray, alpha: float) -> np.ndarray:
    """Phase response of the first-order all-pass filter: the frequency warping of mel-cepstra."""
    return omega + 2.0 * np.arctan(alpha * np.sin(omega) / (1.0 - alpha * np.cos(omega)))


class MelCepstrum:
    """Codes power envelopes of `fft_size` as `order` + 1 mel-cepstral coefficients."""

    def __init__(self, fft_size: int, order: int, alpha: float = ALPHA) -> None:
        self.fft_size = fft_size
        bins = fft_size // 2 + 1
        omega = np.linspace(0.0, np.pi, bins)
        self.basis = np.cos(np.outer(warp(omega, alpha), np.arange(order + 1)))
        position = warp(omega, -alpha) / (np.pi / (bins - 1))
        self.index = np.minimum(position.astype(int), bins - 2)
        self.frac = position - self.index
        self.order = order

    def encode(self, sp: np.ndarray) -> np.ndarray:
        log_amplitude = 0.5 * np.log(np.maximum(sp, 1e-16))
        on_warped = (log_amplitude[:, self.index] * (1.0 - self.frac)
                     + log_amplitude[:, self.index + 1] * self.frac)
        cepstrum = np.fft.irfft(on_warped, n=self.fft_size, axis=1)[:, : self.order + 1]
        cepstrum[:, 1:] *= 2.0
        return cepstrum

    def decode(self, mcep: np.ndarray) -> np.ndarray:
        return np.exp(2.0 * mcep @ self.basis.T)


@lru_cache(maxsize=8)
def mel_cepstrum(sample_rate: int, order: int) -> MelCepstrum:
    return MelCepstrum(pyworld.get_cheaptrick_fft_size(sample_rate), order)


def min_samples(sample_rate: int) -> int:
    """One CheapTrick analysis window: the shortest clip that yields a spectral envelope."""
    return pyworld.get_cheaptrick_fft_size(sample_rate)


def analyse(wave: np.ndarray, sample_rate: int, frame_period: float, order: int,
            f0_method: str = "harvest") -> Features:
    """F0 (harvest or dio + stonemask), CheapTrick envelope as a mel-cepstrum, D4C aperiodicity."""
    wave = np.ascontiguousarray(wave, dtype=np.float64)
    if f0_method == "harvest":
        f0, times = pyworld.harvest(wave, sample_rate, frame_period=frame_period)
    else:
        f0, times = pyworld.dio(wave, sample_rate, frame_period=frame_period)
        f0 = pyworld.stonemask(wave, f0, times, sample_rate)
    sp = pyworld.cheaptrick(wave, f0, times, sample_rate)
    ap = pyworld.d4c(wave, f0, times, sample_rate)
    return Features(f0, mel_cepstrum(sample_rate, order).encode(sp), ap)


def envelope(wave: np.ndarray, f0: np.ndarray, sample_rate: int, frame_period: float,
             order: int) -> np.ndarray:
    """The mel-cepstrum of `wave` given its F0 (re-analysing synthesised speech needs no F0
    estimation)."""
    wave = np.ascontiguousarray(wave, dtype=np.float64)
    times = np.arange(len(f0)) * frame_period / 1000.0
    sp = pyworld.cheaptrick(wave, np.ascontiguousarray(f0, dtype=np.float64), times,
                            sample_rate)
    return mel_cepstrum(sample_rate, order).encode(sp)


def synthesise(features: Features, sample_rate: int, frame_period: float) -> np.ndarray:
    order = features.mcep.shape[1] - 1
    sp = mel_cepstrum(sample_rate, order).decode(features.mcep)
    wave = pyworld.synthesize(np.ascontiguousarray(features.f0, dtype=np.float64),
                              np.ascontiguousarray(sp), np.ascontiguousarray(features.ap),
                              sample_rate, frame_period)
    if not np.isfinite(wave).all():
        raise GantoolError("WORLD synthesis produced non-finite samples; the model's output "
                           "is unusable, retrain it")
    return wave
