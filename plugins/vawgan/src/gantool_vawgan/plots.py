"""Spectrogram panels (source, converted, target) of one utterance."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from gantool.files import atomic_path


def log_spectrogram(wave: np.ndarray, sample_rate: int) -> np.ndarray:
    """dB magnitude, 25 ms Hann windows every 5 ms, 60 dB below the peak floored."""
    import torch
    from torchaudio.transforms import AmplitudeToDB, Spectrogram

    window = int(0.025 * sample_rate)
    magnitude = Spectrogram(n_fft=window, hop_length=int(0.005 * sample_rate), power=1.0)(
        torch.from_numpy(wave).float())
    return AmplitudeToDB("magnitude", top_db=60)(magnitude).numpy()


def plot_spectrograms(panels: list[tuple[str, np.ndarray]], sample_rate: int,
                      path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(panels), 1, figsize=(8, 2.2 * len(panels)), squeeze=False)
    for ax, (title, wave) in zip(axes[:, 0], panels, strict=True):
        ax.imshow(log_spectrogram(wave, sample_rate), origin="lower", aspect="auto",
                  cmap="magma", extent=(0, len(wave) / sample_rate, 0, sample_rate / 2000))
        ax.set_title(title, fontsize=9)
        ax.set_ylabel("kHz")
    axes[-1, 0].set_xlabel("seconds")
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=90, format="png")
        with Image.open(tmp) as image:  # a 256-colour palette: a quarter of the bytes
            image.convert("RGB").quantize(256).save(tmp, format="PNG", optimize=True)
    plt.close(fig)
