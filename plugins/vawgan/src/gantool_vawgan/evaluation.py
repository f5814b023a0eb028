"""`gantool eval vawgan`: convert every held-out sentence between every pair of speakers.

Each conversion is synthesised with WORLD and re-analysed (CheapTrick at the converted F0), so
the scores are of the converted speech itself. Mel-cepstral distortion is measured against the
target speaker's own utterance of the same sentence, DTW-aligned, over speech frames; the
speaker classifier, trained on the real training sentences (and on more speakers, when given),
names the speaker of each converted utterance and embeds it, for its cosine similarity to the
target speaker's centroid. The no-conversion row scores the source utterance itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gantool.errors import GantoolError
from gantool.files import atomic_path
from gantool.outputs import check_outputs, plan_outputs
from gantool.report import Table
from gantool_vawgan.audio import read_audio, save_wav
from gantool_vawgan.classifier import SpeakerClassifier
from gantool_vawgan.config import VawganEval
from gantool_vawgan.convert import MCD_SCALE, alignment, convert, f0_agreement
from gantool_vawgan.corpus import Utterance, load_speakers, load_split
from gantool_vawgan.inference import Model, load
from gantool_vawgan.plots import plot_spectrograms
from gantool_vawgan.training import frames_of
from gantool_vawgan.world import envelope, synthesise

MODE_NAMES = {"vae": "VAE-only", "vawgan": "VAW-GAN"}
PLOT = "spectrograms.png"


@dataclass
class Scores:
    name: str
    mcd: list[float]
    identified: list[bool]
    target_probability: list[float]
    """Per conversion: the classifier's mean frame probability of the target speaker."""
    similarity: list[float]
    """Per conversion: the cosine similarity of its embedding to the target's centroid."""
    variance: list[float]
    """Per conversion: the global variance of its cepstra over the target utterance's."""
    f0_rmse: list[float]
    f0_correlation: list[float]
    pair: list[str]
    """Per conversion: 'SOURCE->TARGET'."""

    def row(self) -> list:
        return [self.name, round(float(np.mean(self.mcd)), 3), round(float(np.std(self.mcd)), 3),
                round(100.0 * float(np.mean(self.identified)), 1),
                round(100.0 * float(np.mean(self.target_probability)), 1),
                round(float(np.mean(self.similarity)), 3),
                round(float(np.mean(self.variance)), 3),
                round(float(np.nanmean(self.f0_rmse)), 2),
                round(float(np.nanmean(self.f0_correlation)), 3), len(self.mcd)]

    def by_pair(self) -> dict[str, float]:
        """Mean MCD of each ordered speaker pair."""
        grouped: dict[str, list[float]] = {}
        for pair, mcd in zip(self.pair, self.mcd, strict=True):
            grouped.setdefault(pair, []).append(mcd)
        return {pair: float(np.mean(values)) for pair, values in grouped.items()}


def variance_ratio(converted: np.ndarray, target: np.ndarray) -> float:
    """Global variance (per coefficient 1..order, over speech frames) of converted cepstra over
    the target speaker's, averaged over coefficients: 1 matches real speech, below 1 is the
    over-smoothing of averaged spectra (Toda et al. 2007) that the GAN term is meant to undo."""
    return float(np.mean(converted[:, 1:].var(0) / target[:, 1:].var(0)))


def pairs(test: list[Utterance]) -> list[tuple[Utterance, Utterance]]:
    """(source, target) for every sentence spoken by both, over every ordered speaker pair."""
    by_sentence: dict[str, list[Utterance]] = {}
    for utterance in test:
        by_sentence.setdefault(utterance.sentence, []).append(utterance)
    return [(s, t) for group in by_sentence.values() for s in group for t in group
            if s.speaker != t.speaker]


def converted_speech(model: Model, source: Utterance, target: str
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(waveform, re-analysed mel-cepstrum, F0) of `source` converted to `target`, the source
    F0 statistics being its speaker's."""
    nets = model.networks
    settings = model.analysis
    source_log_f0 = tuple(nets["stats"].log_f0[model.speaker_index(source.speaker)].tolist())
    features = convert(nets, source.features, model.speaker_index(target), source_log_f0)
    wave = synthesise(features, settings.sample_rate, settings.frame_period)
    return wave, envelope(wave, features.f0, settings.sample_rate, settings.frame_period,
                          settings.order), features.f0


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.linalg.norm(vector)), 1e-12)


class SpeakerSpace:
    """Cosine similarity of an utterance to a speaker's centroid, in the classifier's embedding
    centred on the mean training utterance (as speaker verification centres its embeddings:
    what every voice shares would otherwise make every pair look alike)."""

    def __init__(self, classifier: SpeakerClassifier, train: list[Utterance],
                 speakers: list[str]) -> None:
        self.classifier, self.speakers = classifier, speakers
        embedded = {id(u): classifier.embedding(u.features.mcep[u.speech, 1:]) for u in train}
        self.origin = np.mean(list(embedded.values()), axis=0)
        self.centres = np.stack([_unit(np.mean([embedded[id(u)] - self.origin for u in train
                                                if u.speaker == name], axis=0))
                                 for name in speakers])

    def similarity(self, frames: np.ndarray, speaker: str) -> float:
        embedding = _unit(self.classifier.embedding(frames) - self.origin)
        return float(embedding @ self.centres[self.speakers.index(speaker)])


def score(name: str, model: Model | None, test_pairs, classifier: SpeakerClassifier,
          speakers: list[str], space: SpeakerSpace) -> Scores:
    scores = Scores(name, [], [], [], [], [], [], [], [])
    for source, target in test_pairs:
        mcep, f0 = ((source.features.mcep, source.features.f0) if model is None
                    else converted_speech(model, source, target.speaker)[1:])
        mcep, f0 = mcep[source.speech], f0[source.speech]
        real = target.features.mcep[target.speech]
        rows, cols, distances = alignment(real, mcep)
        scores.mcd.append(float(MCD_SCALE * distances.mean()))
        rmse, correlation = f0_agreement(target.features.f0[target.speech], f0, rows, cols)
        scores.f0_rmse.append(rmse)
        scores.f0_correlation.append(correlation)
        scores.identified.append(classifier.predict(mcep[:, 1:]) ==
                                 speakers.index(target.speaker))
        scores.target_probability.append(classifier.frame_probability(
            mcep[:, 1:], speakers.index(target.speaker)))
        scores.similarity.append(space.similarity(mcep[:, 1:], target.speaker))
        scores.variance.append(variance_ratio(mcep, real))
        scores.pair.append(f"{source.speaker}->{target.speaker}")
    return scores


def check_compatible(model: Model, baseline: Model, path: Path) -> None:
    if baseline.speakers != model.speakers or baseline.analysis != model.analysis:
        raise GantoolError(f"--baseline {path} was trained on other speakers or analysis "
                           "settings than --weights; train both on the same corpus")


def plan_plot(options: VawganEval) -> Path:
    """The spectrogram PNG, checked before anything is loaded: never one of the weights
    files, an existing file only with --overwrite."""
    weights = Path(options.weights)
    (path,) = plan_outputs([weights], single=True, output=options.plot, name=PLOT, folder="",
                           overwrite=options.overwrite, protected=[weights, options.baseline])
    return path


def plan_listening(options: VawganEval) -> list[Path]:
    """The --listen WAVs (source, the baseline's and the model's conversions, target), checked
    before anything is loaded like the plot."""
    if options.listen is None:
        return []
    names = ["source", *(["baseline"] if options.baseline else []), "converted", "target"]
    paths = [Path(options.listen) / f"{name}.wav" for name in names]
    check_outputs(paths, overwrite=options.overwrite, new_folder=True,
                  protected=[options.weights, options.baseline])
    return paths


def evaluate(options: VawganEval) -> list[Table]:
    plot_path = plan_plot(options)
    listening = plan_listening(options)
    model = load(options.weights)
    models = [(MODE_NAMES[model.config.mode], model)]
    if options.baseline is not None:
        baseline = load(options.baseline)
        check_compatible(model, baseline, options.baseline)
        models.insert(0, (MODE_NAMES[baseline.config.mode] + " (baseline)", baseline))
    data = options.data or model.config.data
    speakers = model.speakers
    train = load_split(data, "train", model.analysis, speakers)
    test = load_split(data, "test", model.analysis, speakers)
    test_pairs = pairs(test)
    if not test_pairs:
        raise GantoolError(f"no held-out sentence of {data} is spoken by two speakers; "
                           "evaluation needs parallel held-out utterances")
    others = ([] if options.other_speakers is None
              else load_speakers(options.other_speakers, model.analysis, speakers))
    classes = speakers + sorted({u.speaker for u in others})
    frames, labels = frames_of(train + others, classes)
    classifier = SpeakerClassifier(frames, labels, len(classes), steps=options.classifier_steps,
                                   seed=options.seed)
    space = SpeakerSpace(classifier, train, speakers)
    real = np.mean([classifier.predict(u.features.mcep[u.speech, 1:]) ==
                    speakers.index(u.speaker) for u in test])
    real_probability = np.mean([classifier.frame_probability(u.features.mcep[u.speech, 1:],
                                                             speakers.index(u.speaker))
                                for u in test])
    real_similarity = np.mean([space.similarity(u.features.mcep[u.speech, 1:], u.speaker)
                               for u in test])
    scored = [score("no conversion (source vs target)", None, test_pairs, classifier,
                    speakers, space)]
    scored += [score(name, m, test_pairs, classifier, speakers, space) for name, m in models]
    heard = (f"{len(speakers)} speakers of the model and {len(classes) - len(speakers)} more "
             f"from {options.other_speakers}" if others else f"the {len(speakers)} speakers")
    write_plot(models, test_pairs[0], plot_path, listening)
    pair_names = list(scored[0].by_pair())
    return [Table(
        f"vawgan: {options.weights}",
        ["conversion", "MCD dB", "MCD std", "classified as target %",
         "target frame probability %", "target similarity", "GV ratio", "F0 RMSE Hz",
         "F0 correlation", "pairs"],
        [s.row() for s in scored],
        notes=[f"held-out sentences of {data}: {len(test_pairs)} conversions over "
               f"{len(speakers)} speakers; speaker classifier (trained on {heard}) on real "
               f"held-out speech: {100 * real:.1f}% correct, target frame probability "
               f"{100 * real_probability:.1f}%, similarity {real_similarity:.3f}; target "
               "similarity: cosine of the utterance's embedding (the classifier's mean hidden "
               "activation, centred on the mean training utterance's) to the target's centroid "
               "over its training utterances (1: the same direction; 0: unrelated); GV ratio: "
               "global variance of the cepstra over the "
               f"target's (1 is real speech's); F0 over the aligned frames voiced in both; "
               f"spectrograms: {plot_path}"
               + (f"; its WAVs: {Path(options.listen)}" if listening else "")]),
        Table("MCD dB by speaker pair", ["pair", *(s.name for s in scored)],
              [[pair, *(round(s.by_pair()[pair], 3) for s in scored)] for pair in pair_names]),
        Table("the speaker classifier on real held-out speech (the ceiling of its scores)",
              ["utterances", "classified as its speaker %", "its speaker's frame probability %",
               "similarity to its speaker"],
              [[len(test), round(100 * float(real), 1), round(100 * float(real_probability), 1),
                round(float(real_similarity), 3)]])]


def write_plot(models: list[tuple[str, Model]], pair: tuple[Utterance, Utterance],
               path: Path, listening: list[Path]) -> None:
    """The spectrograms of the pair's source, each model's conversion and target, and their
    WAVs to `listening` (in that order) when asked for."""
    source, target = pair
    rate = models[-1][1].analysis.sample_rate
    panels = [(f"source: {source.speaker} {source.sentence}", read_audio(source.path, rate))]
    panels += [(f"{name}: {source.speaker} -> {target.speaker}",
                converted_speech(m, source, target.speaker)[0]) for name, m in models]
    panels.append((f"target: {target.speaker} {target.sentence}", read_audio(target.path, rate)))
    plot_spectrograms(panels, rate, path)
    if not listening:
        return
    listening[0].parent.mkdir(parents=True, exist_ok=True)
    for wav, (_, wave) in zip(listening, panels, strict=True):
        with atomic_path(wav) as tmp:
            save_wav((wave, rate), tmp)
