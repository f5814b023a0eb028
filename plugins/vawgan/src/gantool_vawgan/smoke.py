"""A few-second run on a tiny parallel 'speech' corpus synthesised with numpy: the suite's
fake-GPU test and the GPU smoke script train from it, so it needs neither espeak-ng nor data.

Each speaker is a glottal pulse train at its own pitch through its own formant resonators;
each 'sentence' is a different pitch contour and formant glide, separated by short pauses.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import soundfile as sf
from scipy.signal import lfilter

RATE = 16000
SPEAKERS = {"low": (110.0, 1.0), "high": (220.0, 1.25)}
"""name: (mean F0 in Hz, formant scale)"""
SENTENCES = 3


def resonate(x: np.ndarray, frequency: float, bandwidth: float) -> np.ndarray:
    """A two-pole resonator at `frequency` Hz: one formant."""
    radius = np.exp(-np.pi * bandwidth / RATE)
    theta = 2 * np.pi * frequency / RATE
    return lfilter([1 - radius], [1, -2 * radius * np.cos(theta), radius**2], x)


def utterance(f0: float, scale: float, sentence: int, seconds: float = 0.6) -> np.ndarray:
    """Two voiced syllables with a pause: pulses at a gliding F0 through three formants."""
    n = int(seconds * RATE)
    t = np.arange(n) / RATE
    contour = f0 * (1 + 0.15 * np.sin(2 * np.pi * (1 + sentence) * t / seconds))
    phase = np.cumsum(contour) / RATE
    pulses = (np.diff(np.floor(phase), prepend=0) > 0).astype(float)
    glide = 1 + 0.2 * (sentence - 1) * t / seconds
    wave = np.zeros(n)
    for formant, bandwidth in ((500, 80), (1500, 120), (2500, 160)):
        wave += resonate(pulses, formant * scale * glide.mean(), bandwidth)
    envelope = np.ones(n)
    envelope[int(0.4 * n):int(0.5 * n)] = 0.0
    wave = wave * envelope + 1e-4 * np.random.default_rng(sentence).standard_normal(n)
    return 0.5 * wave / np.abs(wave).max()


def write_corpus(root: Path, speakers: dict[str, tuple[float, float]] = SPEAKERS,
                 sentences: int = SENTENCES) -> Path:
    """root/<speaker>/s<i>.wav for every speaker and sentence, the last one held out in
    root/split.json."""
    for name, (f0, scale) in speakers.items():
        (root / name).mkdir(parents=True, exist_ok=True)
        for index in range(sentences):
            sf.write(root / name / f"s{index}.wav", utterance(f0, scale, index), RATE)
    (root / "split.json").write_text(json.dumps({"held_out": [f"s{sentences - 1}"]}))
    return root


SMALL = {"vae_steps": 4, "gan_steps": 4, "n_critic": 2, "batch_size": 16, "hidden": 8,
         "latent": 4, "speaker_dim": 4, "f0_method": "dio"}
"""Both stages for a few steps with 8-unit networks; dio, the faster F0 estimator."""


def smoke(folder: Path) -> dict[str, object]:
    return {"data": str(write_corpus(folder)), **SMALL}
