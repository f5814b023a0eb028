"""`gantool run vawgan`: convert recordings to a target speaker's voice."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from torch import nn

from gantool.errors import GantoolError
from gantool.files import input_files
from gantool.models import load_model
from gantool.outputs import each_input, plan_outputs
from gantool_vawgan.audio import check_speech, read_audio, write_wav
from gantool_vawgan.config import VawganConfig, VawganRun
from gantool_vawgan.convert import convert, utterance_log_f0
from gantool_vawgan.corpus import Analysis
from gantool_vawgan.models import EXPORTED, speakers_of
from gantool_vawgan.plugin import TASK
from gantool_vawgan.training import analysis_of
from gantool_vawgan.world import analyse, min_samples, synthesise

WAV = (".wav",)


@dataclass
class Model:
    """What conversion and scoring use of an exported model: encoder, decoder and statistics,
    the speakers they were trained on, and the training config (analysis settings, data)."""

    networks: dict[str, nn.Module]
    speakers: list[str]
    config: VawganConfig

    @property
    def analysis(self) -> Analysis:
        return analysis_of(self.config)

    def speaker_index(self, name: str) -> int:
        if name not in self.speakers:
            raise GantoolError(f"unknown target speaker {name!r}; this model knows "
                               f"{', '.join(self.speakers)}")
        return self.speakers.index(name)


def load(path: Path) -> Model:
    """`load_model`, and the networks conversion needs: a file without a list of networks
    (written before there was one) loads whichever it holds."""
    model = load_model(path, TASK)
    for name in EXPORTED:
        if name not in model.networks:
            raise GantoolError(f"{path} does not hold {TASK}'s network {name!r}; re-export it "
                               f"with `gantool train {TASK}`")
    return Model(model.networks, speakers_of(model.metadata), model.config)


def output_name(speaker: str) -> str:
    """`{stem}-to-SPEAKER.wav` for `plan_outputs`; a speaker is a corpus folder name, so a
    path separator can only be a typo (and must not send the output elsewhere)."""
    if not speaker or "/" in speaker or "\\" in speaker or speaker in (".", ".."):
        raise GantoolError(f"--target-speaker {speaker!r} is not a speaker name; pass one the "
                           "model was trained on")
    return "{stem}-to-" + speaker.replace("{", "{{").replace("}", "}}") + ".wav"


def convert_file(model: Model, target: int, source: Path, output: Path) -> Path:
    """Analyse `source`, convert its envelope and F0 to speaker `target`, write `output`."""
    settings = model.analysis
    wave = read_audio(source, settings.sample_rate)
    check_speech(wave, min_samples(settings.sample_rate), source, settings.sample_rate)
    features = analyse(wave, settings.sample_rate, settings.frame_period, settings.order,
                       settings.f0_method)
    if np.count_nonzero(features.f0) < 2:
        raise GantoolError(f"{source} has no voiced speech (no F0 found); pass a recording of "
                           "speech")
    converted = convert(model.networks, features, target, utterance_log_f0(features.f0))
    write_wav(output, synthesise(converted, settings.sample_rate, settings.frame_period),
              settings.sample_rate)
    return output


def convert_files(options: VawganRun) -> list[Path]:
    """Every output is planned before the model is loaded: never an input, never the
    weights, never an existing file without --overwrite. In a folder, a bad file is
    reported and the others are still converted."""
    speaker = options.target_speaker
    inputs = input_files(options.input, WAV)
    single = len(inputs) == 1 and Path(options.input).is_file()
    outputs = plan_outputs(inputs, single=single, output=options.output,
                           name=output_name(speaker), folder=f"to-{speaker}",
                           overwrite=options.overwrite, protected=[options.weights])
    model = load(options.weights)
    target = model.speaker_index(speaker)
    if not single:
        outputs[0].parent.mkdir(exist_ok=True)
    planned = dict(zip(inputs, outputs, strict=True))
    return each_input(inputs, lambda source: convert_file(model, target, source,
                                                          planned[source]))
