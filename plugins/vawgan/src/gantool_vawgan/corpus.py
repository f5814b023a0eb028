"""A speech corpus on disk: DIR/<speaker>/<sentence>.wav plus DIR/split.json.

`split.json` ({"held_out": [sentence ids]}) names the sentences kept for evaluation; training
reads only the others and never uses which speakers said the same sentence. WORLD analysis is
the slow part, so each process keeps the features of the files it has analysed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from gantool.errors import GantoolError
from gantool_vawgan.audio import check_speech, read_audio
from gantool_vawgan.world import Features, analyse, min_samples

SPLIT_FILE = "split.json"
SPEECH_RANGE = np.log(10.0 ** 1.5)
"""Frames whose log amplitude c0 lies more than 30 dB below the utterance's loudest frame are
silence: they are left out of training and of the distortion measures."""


@dataclass(frozen=True)
class Analysis:
    """The analysis settings a model is trained with (and its inputs must be analysed with)."""

    sample_rate: int
    frame_period: float
    order: int
    f0_method: str = "harvest"


@dataclass
class Utterance:
    speaker: str
    sentence: str
    path: Path
    features: Features

    @property
    def speech(self) -> np.ndarray:
        return speech_frames(self.features.mcep)


def speech_frames(mcep: np.ndarray) -> np.ndarray:
    """Boolean mask of the frames loud enough to be speech."""
    return mcep[:, 0] > mcep[:, 0].max() - SPEECH_RANGE


_CACHE: dict[tuple, Features] = {}


def analyse_file(path: Path, analysis: Analysis) -> Features:
    """WORLD features of one file, checked and cached per process."""
    key = (str(Path(path).resolve()), Path(path).stat().st_mtime_ns, analysis)
    if key not in _CACHE:
        wave = read_audio(path, analysis.sample_rate)
        check_speech(wave, min_samples(analysis.sample_rate), path, analysis.sample_rate)
        _CACHE[key] = analyse(wave, analysis.sample_rate, analysis.frame_period,
                              analysis.order, analysis.f0_method)
    return _CACHE[key]


def speaker_folders(root: Path) -> dict[str, list[Path]]:
    """{speaker: sorted WAV files} of the folders DIR/<speaker>/ that hold any."""
    root = Path(root)
    if not root.is_dir():
        raise GantoolError(f"{root} is not a directory; pass a corpus folder DIR/<speaker>/*.wav")
    speakers = {d.name: sorted(d.glob("*.wav")) for d in sorted(root.iterdir()) if d.is_dir()}
    return {name: files for name, files in speakers.items() if files}


def speaker_files(root: Path) -> dict[str, list[Path]]:
    """{speaker: sorted WAV files}, refusing folders that cannot train a converter."""
    speakers = speaker_folders(root)
    if len(speakers) < 2:
        raise GantoolError(
            f"{root} holds {len(speakers)} speaker folder(s) with WAV files; voice conversion "
            "needs at least two (DIR/<speaker>/*.wav, e.g. `gantool data build speech-espeak`)")
    return speakers


def held_out(root: Path) -> set[str]:
    """Sentence ids that `split.json` keeps for evaluation (none when there is no split file)."""
    path = Path(root) / SPLIT_FILE
    if not path.is_file():
        return set()
    try:
        return set(json.loads(path.read_text())["held_out"])
    except (ValueError, KeyError, TypeError):
        raise GantoolError(f'{path} is not {{"held_out": [sentence ids]}}; fix or remove '
                           "it") from None


def load_split(root: Path, split: Literal["train", "test"], analysis: Analysis,
               speakers: list[str] | None = None) -> list[Utterance]:
    """The utterances of `split` (test: the held-out sentences), analysed."""
    files = speaker_files(root)
    test = held_out(root)
    if split == "test" and not test:
        raise GantoolError(f"{root} has no {SPLIT_FILE} naming held-out sentences; evaluation "
                           "needs them (the speech-espeak recipe writes one)")
    if speakers is not None:
        missing = sorted(set(speakers) - set(files))
        if missing:
            raise GantoolError(f"{root} lacks the model's speaker folder(s) "
                               f"{', '.join(missing)}; evaluate on the corpus it was trained on")
        files = {name: files[name] for name in speakers}
    utterances = [Utterance(name, path.stem, path, analyse_file(path, analysis))
                  for name, paths in files.items() for path in paths
                  if (path.stem in test) == (split == "test")]
    if not utterances:
        raise GantoolError(f"{root} has no {split} utterances (split.json holds out every "
                           "sentence?); keep some sentences for training")
    return utterances


def load_speakers(root: Path, analysis: Analysis, taken: list[str]) -> list[Utterance]:
    """Every utterance of a folder DIR/<speaker>/*.wav of more speakers (no split), analysed;
    a speaker named like one of `taken` is refused, since the two would be one class."""
    files = speaker_folders(root)
    if not files:
        raise GantoolError(f"{root} holds no speaker folder with WAV files; pass a folder "
                           "DIR/<speaker>/*.wav")
    both = sorted(set(files) & set(taken))
    if both:
        raise GantoolError(f"{root} has a speaker {both[0]!r} that the model's corpus also has; "
                           "pass speakers the model was not trained on")
    return [Utterance(name, path.stem, path, analyse_file(path, analysis))
            for name, paths in files.items() for path in paths]


def log_f0_stats(utterances: list[Utterance], speakers: list[str]) -> np.ndarray:
    """speakers x 2: mean and standard deviation of log F0 over each speaker's voiced frames."""
    stats = np.zeros((len(speakers), 2))
    for index, name in enumerate(speakers):
        f0 = np.concatenate([u.features.f0 for u in utterances if u.speaker == name])
        voiced = np.log(f0[f0 > 0])
        if len(voiced) < 2:
            raise GantoolError(f"speaker {name!r} has no voiced frames; check its recordings")
        stats[index] = voiced.mean(), max(voiced.std(), 1e-3)
    return stats
