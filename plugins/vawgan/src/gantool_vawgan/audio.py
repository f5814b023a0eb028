"""Reading and writing speech: soundfile for WAV (torchaudio's own I/O needs FFmpeg),
torchaudio's windowed-sinc filter for resampling."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import soundfile as sf

from gantool.errors import GantoolError
from gantool.run import Format

SILENCE = 1e-4
"""Peak amplitude (full scale 1.0) below which a clip counts as silence."""


def read_audio(path: Path, sample_rate: int) -> np.ndarray:
    """Mono float64 samples of `path` at `sample_rate`; stereo is mixed down and another rate
    resampled, each with a notice."""
    path = Path(path)
    if path.is_dir():
        raise GantoolError(f"{path} is a directory; pass one WAV file")
    if not path.is_file():
        raise GantoolError(f"audio file {path} not found; check the path")
    try:
        wave, rate = sf.read(str(path), dtype="float64", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, OSError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise GantoolError(f"cannot read audio {path} ({reason}); pass a WAV file") from None
    if wave.shape[1] > 1:
        print(f"notice: {path}: {wave.shape[1]} channels mixed down to mono", file=sys.stderr)
    wave = wave.mean(axis=1)
    if rate != sample_rate:
        print(f"notice: {path}: {rate} Hz resampled to {sample_rate} Hz", file=sys.stderr)
        wave = resample(wave, int(rate), sample_rate)
    return np.ascontiguousarray(wave, dtype=np.float64)


def resample(wave: np.ndarray, rate: int, sample_rate: int) -> np.ndarray:
    """`wave` at `rate` brought to `sample_rate`, in float64 (torch is imported only here, so
    reading a WAV at the model's rate stays light)."""
    import torch
    from torchaudio.functional import resample as sinc_resample

    return sinc_resample(torch.from_numpy(wave), rate, sample_rate).numpy()


def check_speech(wave: np.ndarray, min_samples: int, path: Path, sample_rate: int) -> None:
    """Refuse clips WORLD cannot analyse: shorter than one analysis window, damaged (NaN or
    infinite samples, which a float WAV can hold), or silent."""
    if len(wave) < min_samples:
        raise GantoolError(
            f"{path} lasts {1000 * len(wave) / sample_rate:.0f} ms, shorter than one analysis "
            f"frame ({1000 * min_samples / sample_rate:.0f} ms); pass a longer recording")
    if not np.isfinite(wave).all():
        raise GantoolError(f"{path} holds non-finite samples (NaN or infinity); the file is "
                           "damaged, pass a clean recording")
    if np.abs(wave).max() < SILENCE:
        raise GantoolError(f"{path} contains only silence; pass a recording of speech")


def save_wav(recording: tuple[np.ndarray, int], path: Path) -> None:
    """(samples, sample rate) as a 16-bit PCM WAV, peak-limited."""
    wave, sample_rate = recording
    peak = np.abs(wave).max()
    if peak > 0.99:
        wave = wave * (0.99 / peak)
    sf.write(str(path), wave.astype(np.float32), sample_rate, subtype="PCM_16", format="WAV")


WAV = Format("WAV", ".wav", save_wav)
