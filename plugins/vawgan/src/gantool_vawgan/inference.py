"""`gantool run vawgan`: convert one recording to a target speaker's voice."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from gantool.errors import GantoolError
from gantool.files import check_output_path
from gantool_vawgan.audio import check_speech, read_audio, write_wav
from gantool_vawgan.config import VawganRun
from gantool_vawgan.convert import convert, utterance_log_f0
from gantool_vawgan.weights import load_model
from gantool_vawgan.world import analyse, min_samples, synthesise


def convert_file(options: VawganRun) -> Path:
    source = Path(options.input)
    model = load_model(options.weights)
    target = model.speaker_index(options.target_speaker)
    output = options.output or source.with_name(f"{source.stem}-to-{options.target_speaker}.wav")
    check_output_path(output)
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
