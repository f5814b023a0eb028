"""WORLD features, the mel-cepstral coding, F0 transform, DTW and the distortion measure."""

import numpy as np
import pytest
from vawgan_speech import RATE, SPEAKERS, utterance

from gantool_vawgan.convert import convert_f0, dtw_path, mel_cepstral_distortion
from gantool_vawgan.world import analyse, mel_cepstrum, synthesise


def test_mel_cepstrum_codes_a_smooth_envelope_almost_exactly():
    coder = mel_cepstrum(RATE, 24)
    bins = np.linspace(0, 1, coder.fft_size // 2 + 1)
    envelope = np.exp(-3 * bins + 0.5 * np.sin(6 * bins))[None] ** 2
    decoded = coder.decode(coder.encode(envelope))
    assert np.abs(10 * np.log10(decoded / envelope)).max() < 0.5


def test_analysis_finds_each_speakers_pitch_and_resynthesises():
    for f0, scale in SPEAKERS.values():
        wave = utterance(f0, scale, 0)
        features = analyse(wave, RATE, 5.0, 24, "dio")
        voiced = features.f0[features.f0 > 0]
        assert len(voiced) > 20 and abs(np.median(voiced) / f0 - 1) < 0.2
        assert features.mcep.shape == (len(features.f0), 25)
        assert abs(len(synthesise(features, RATE, 5.0)) - len(wave)) < RATE * 0.01


def test_f0_transform_maps_source_statistics_to_target():
    rng = np.random.default_rng(0)
    f0 = np.exp(rng.normal(np.log(110), 0.1, 500))
    f0[::7] = 0
    out = convert_f0(f0, (np.log(110), 0.1), (np.log(220), 0.2))
    log_out = np.log(out[out > 0])
    assert (out[::7] == 0).all()
    assert log_out.mean() == pytest.approx(np.log(220), abs=0.03)
    assert log_out.std() == pytest.approx(0.2, abs=0.03)


def test_dtw_aligns_a_time_stretched_copy_with_no_distortion():
    rng = np.random.default_rng(0)
    reference = rng.normal(size=(40, 25))
    stretched = np.repeat(reference, 2, axis=0)
    rows, cols = dtw_path(np.abs(reference[:, None, 0] - stretched[None, :, 0]))
    assert rows[0] == cols[0] == 0 and (rows[-1], cols[-1]) == (39, 79)
    assert (np.diff(rows) >= 0).all() and (np.diff(cols) >= 0).all()
    assert mel_cepstral_distortion(reference, stretched) == pytest.approx(0.0, abs=1e-9)
    assert mel_cepstral_distortion(reference, reference + 0.1) > 1.0


def test_f0_agreement_is_measured_on_aligned_frames_voiced_in_both():
    from gantool_vawgan.convert import f0_agreement

    reference = np.array([100.0, 110.0, 0.0, 130.0, 140.0])
    later = np.array([0.0, 110.0, 120.0, 90.0, 130.0, 140.0])  # one frame later
    rows, cols = np.array([0, 1, 2, 3, 4]), np.array([1, 2, 3, 4, 5])
    rmse, correlation = f0_agreement(reference, later, rows, cols)
    # (100, 110), (110, 120), (130, 130), (140, 140) are voiced in both; (0, 90) is not
    assert rmse == pytest.approx(np.sqrt(200 / 4)) and 0.9 < correlation < 1.0
    assert all(np.isnan(v) for v in f0_agreement(reference, np.zeros(6), rows, cols))


def test_speaker_similarity_is_highest_to_the_utterances_own_speaker():
    """Frames of three speakers with distinct mean spectra: each held-out utterance is closer to
    its own speaker's centroid than to the others', and a mix of two voices lies between."""
    from types import SimpleNamespace

    from gantool_vawgan.classifier import SpeakerClassifier
    from gantool_vawgan.corpus import Utterance
    from gantool_vawgan.evaluation import SpeakerSpace

    rng = np.random.default_rng(0)
    means = rng.normal(0, 1, (3, 24))
    names = ["a", "b", "c"]

    def spoken(speaker, frames=80):
        mcep = np.concatenate([np.zeros((frames, 1)),
                               means[speaker] + rng.normal(0, 1.5, (frames, 24))], axis=1)
        return Utterance(names[speaker], "s", None, SimpleNamespace(mcep=mcep))

    train = [spoken(k) for k in range(3) for _ in range(6)]
    frames = np.concatenate([u.features.mcep[:, 1:] for u in train])
    labels = np.concatenate([np.full(80, names.index(u.speaker)) for u in train])
    space = SpeakerSpace(SpeakerClassifier(frames, labels, 3, steps=300, seed=0), train, names)
    for k, name in enumerate(names):
        held_out = spoken(k).features.mcep[:, 1:]
        own = space.similarity(held_out, name)
        assert own > 0.5 and all(own > space.similarity(held_out, other)
                                 for other in names if other != name)
    mixed = np.concatenate([spoken(0).features.mcep[:40, 1:], spoken(1).features.mcep[:40, 1:]])
    assert space.similarity(mixed, "c") < min(space.similarity(mixed, "a"),
                                              space.similarity(mixed, "b"))
