"""`gantool run vawgan`: recordings converted to a target speaker's voice, `NAME-to-SPEAKER.wav`
beside one input, in a folder `to-SPEAKER/` beside several, or in --output (`gantool.run`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from torch import nn

from gantool.errors import GantoolError
from gantool.models import load_model
from gantool.run import Inputs, Output, Run
from gantool_vawgan.audio import WAV, check_speech, read_audio
from gantool_vawgan.config import VawganConfig, VawganRun
from gantool_vawgan.convert import convert, utterance_log_f0
from gantool_vawgan.corpus import Analysis
from gantool_vawgan.models import EXPORTED, speakers_of
from gantool_vawgan.plugin import TASK
from gantool_vawgan.training import analysis_of
from gantool_vawgan.world import analyse, min_samples, synthesise

SHIPPED = Path(__file__).parent / "weights" / "vawgan_vcc2016.safetensors"
"""The default model: VAW-GAN on the four VCC2016 speakers SF1, SM1, TF1, TM1."""


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


def load_for(weights: Path, options: VawganRun) -> tuple[Model, int]:
    """The model and the index of the speaker to convert to."""
    model = load(weights)
    return model, model.speaker_index(options.target_speaker)


def convert_file(loaded: tuple[Model, int], source: Path, options: VawganRun
                 ) -> tuple[np.ndarray, int]:
    """`source` analysed, its envelope and F0 converted to the target speaker, synthesised:
    the samples and their rate."""
    model, target = loaded
    settings = model.analysis
    wave = read_audio(source, settings.sample_rate)
    check_speech(wave, min_samples(settings.sample_rate), source, settings.sample_rate)
    features = analyse(wave, settings.sample_rate, settings.frame_period, settings.order,
                       settings.f0_method)
    if np.count_nonzero(features.f0) < 2:
        raise GantoolError(f"{source} has no voiced speech (no F0 found); pass a recording of "
                           "speech")
    converted = convert(model.networks, features, target, utterance_log_f0(features.f0))
    return synthesise(converted, settings.sample_rate, settings.frame_period), \
        settings.sample_rate


convert_files = Run(TASK, convert_file, inputs=Inputs((".wav",)),
                    outputs=(Output("conversion", "{stem}-to-{target_speaker}.wav", WAV),),
                    folder="to-{target_speaker}", load=load_for)
