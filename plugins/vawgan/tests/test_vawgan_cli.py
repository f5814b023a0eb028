"""`gantool train/eval/run vawgan` end to end on a tiny synthetic corpus, and one line for each
bad input."""

import json

import numpy as np
import soundfile as sf
from vawgan_speech import RATE, TINY, utterance, write_corpus


def _one_line_error(result, message, *absent):
    code, _, err = result
    assert code == 2 and message in err, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    for path in absent:
        assert not path.exists()


def test_train_writes_a_model_with_both_stages(run_cli, corpus, tmp_path):
    code, out, err = run_cli("train", "vawgan", "--data", corpus, "--out", tmp_path / "r", *TINY)
    assert code == 0, err
    assert (tmp_path / "r" / "model.safetensors").is_file()
    stages = {json.loads(line).get("stage") for line in open(tmp_path / "r" / "log.jsonl")}
    assert {"vae", "vawgan"} <= stages
    assert "reconstruction_mcd" in out


def test_eval_scores_no_conversion_baseline_and_model(run_cli, corpus, weights, tmp_path):
    plot = tmp_path / "spec.png"
    code, out, err = run_cli("eval", "vawgan", "--weights", weights, "--baseline", weights,
                             "--classifier-steps", "20", "--plot", plot, "--json")
    assert code == 0, err
    (table,) = json.loads(out)
    names = [row[0] for row in table["rows"]]
    assert names == ["no conversion (source vs target)", "VAW-GAN (baseline)", "VAW-GAN"]
    assert all(row[-1] == 2 and row[1] > 0 for row in table["rows"])
    assert plot.read_bytes()[:4] == b"\x89PNG"


def test_run_converts_to_the_target_speaker(run_cli, weights, tmp_path):
    source = tmp_path / "in.wav"
    samples = utterance(110.0, 1.0, 0)
    sf.write(source, samples, 22050)  # another rate: resampled to the model's
    code, out, err = run_cli("run", "vawgan", "--input", source, "--target-speaker", "high",
                             "--weights", weights)
    assert code == 0, err
    wave, rate = sf.read(tmp_path / "in-to-high.wav")
    assert rate == RATE and wave.ndim == 1
    assert abs(len(wave) / RATE - len(samples) / 22050) < 0.02


def test_stereo_input_is_mixed_down_with_a_notice(run_cli, weights, tmp_path):
    source = tmp_path / "stereo.wav"
    mono = utterance(220.0, 1.25, 1)
    sf.write(source, np.stack([mono, 0.5 * mono], axis=1), RATE)
    output = tmp_path / "out.wav"
    code, _, err = run_cli("run", "vawgan", "--input", source, "--target-speaker", "low",
                           "--weights", weights, "--output", output)
    assert code == 0, err
    assert "notice:" in err and "mixed down to mono" in err
    assert sf.info(output).channels == 1


def test_unreadable_audio_is_one_line(run_cli, weights, tmp_path):
    source = tmp_path / "notes.wav"
    source.write_text("not audio at all")
    output = tmp_path / "out.wav"
    _one_line_error(run_cli("run", "vawgan", "--input", source, "--target-speaker", "low",
                            "--weights", weights, "--output", output),
                    "cannot read audio", output)


def test_silence_is_one_line(run_cli, weights, tmp_path):
    source = tmp_path / "silence.wav"
    sf.write(source, np.zeros(RATE), RATE)
    output = tmp_path / "out.wav"
    _one_line_error(run_cli("run", "vawgan", "--input", source, "--target-speaker", "low",
                            "--weights", weights, "--output", output),
                    "contains only silence", output)


def test_clip_shorter_than_one_frame_is_one_line(run_cli, weights, tmp_path):
    source = tmp_path / "click.wav"
    sf.write(source, utterance(110.0, 1.0, 0)[:300], RATE)
    output = tmp_path / "out.wav"
    _one_line_error(run_cli("run", "vawgan", "--input", source, "--target-speaker", "low",
                            "--weights", weights, "--output", output),
                    "shorter than one analysis frame", output)


def test_unknown_target_speaker_lists_the_known_ones(run_cli, weights, tmp_path):
    source = tmp_path / "in.wav"
    sf.write(source, utterance(110.0, 1.0, 0), RATE)
    output = tmp_path / "out.wav"
    _one_line_error(run_cli("run", "vawgan", "--input", source, "--target-speaker", "nobody",
                            "--weights", weights, "--output", output),
                    "unknown target speaker 'nobody'; this model knows high, low", output)


def test_a_single_speaker_corpus_is_one_line(run_cli, tmp_path):
    corpus = write_corpus(tmp_path / "one", speakers={"solo": (150.0, 1.0)})
    _one_line_error(run_cli("train", "vawgan", "--data", corpus, "--out", tmp_path / "r", *TINY),
                    "needs at least two")


def test_recipe_without_espeak_says_how_to_install_it(run_cli, monkeypatch, tmp_path):
    monkeypatch.setattr("gantool_vawgan.recipes.espeak.shutil.which", lambda name: None)
    _one_line_error(run_cli("data", "build", "speech-espeak", "--out", tmp_path / "speech"),
                    "apt-get install espeak-ng", tmp_path / "speech")
