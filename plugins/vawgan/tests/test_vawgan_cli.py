"""`gantool train/eval/run vawgan` end to end on a tiny synthetic corpus, and one line for each
bad input."""

import json

import numpy as np
import pytest
import soundfile as sf
from vawgan_speech import RATE, TINY, utterance, write_corpus

from gantool.testing import one_line_error


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
    table, by_pair, real = json.loads(out)
    names = [row[0] for row in table["rows"]]
    assert names == ["no conversion (source vs target)", "VAW-GAN (baseline)", "VAW-GAN"]
    assert all(row[-1] == 2 and row[1] > 0 and 0 < row[4] <= 100 and -1 <= row[5] <= 1
               and row[6] > 0 for row in table["rows"])
    assert real["rows"][0][0] == 2 and 0 < real["rows"][0][2] <= 100
    assert -1 <= real["rows"][0][3] <= 1
    assert plot.read_bytes()[:4] == b"\x89PNG"
    # one conversion per ordered pair here: the pairs' MCDs average to the overall one
    assert sorted(row[0] for row in by_pair["rows"]) == ["high->low", "low->high"]
    for column, row in enumerate(table["rows"], start=1):
        mean = sum(pair[column] for pair in by_pair["rows"]) / 2
        assert abs(mean - row[1]) < 2e-3


def test_eval_writes_the_plotted_sentence_to_listen_to_and_keeps_existing_files(
        run_cli, corpus, weights, tmp_path):
    listen = tmp_path / "listen"
    args = ("eval", "vawgan", "--weights", weights, "--baseline", weights, "--classifier-steps",
            "5", "--plot", tmp_path / "p.png", "--listen", listen)
    code, _, err = run_cli(*args)
    assert code == 0, err
    names = ["baseline.wav", "converted.wav", "source.wav", "target.wav"]
    assert sorted(p.name for p in listen.iterdir()) == names
    source, rate = sf.read(listen / "source.wav")
    assert rate == RATE and len(source) > RATE // 10
    (tmp_path / "p.png").unlink()
    one_line_error(run_cli(*args), "already exists; pass --overwrite")
    assert not (tmp_path / "p.png").exists()


def _other_speakers(folder, names):
    for index, name in enumerate(names):
        (folder / name).mkdir(parents=True)
        for sentence in range(2):
            sf.write(folder / name / f"o{sentence}.wav",
                     utterance(150.0 + 40 * index, 0.9 + 0.2 * index, sentence), RATE)
    return folder


def test_eval_classifier_also_learns_other_speakers(run_cli, corpus, weights, tmp_path):
    others = _other_speakers(tmp_path / "others", ["mid", "deep"])
    code, out, err = run_cli("eval", "vawgan", "--weights", weights, "--classifier-steps", "20",
                             "--other-speakers", others, "--plot", tmp_path / "p.png", "--json")
    assert code == 0, err
    table = json.loads(out)[0]
    assert "2 speakers of the model and 2 more" in " ".join(table["notes"])
    clash = _other_speakers(tmp_path / "clash", ["low"])
    one_line_error(run_cli("eval", "vawgan", "--weights", weights, "--other-speakers", clash,
                           "--plot", tmp_path / "q.png"), "that the model's corpus also has")


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


@pytest.mark.parametrize(("rate", "subtype"), [(16000, "PCM_U8"), (16000, "PCM_24"),
                                              (16000, "FLOAT"), (8000, "PCM_16"),
                                              (48000, "PCM_16")])
def test_any_wav_sample_format_and_rate_converts(run_cli, weights, tmp_path, rate, subtype):
    """8-bit, 24-bit and float WAV read as 16-bit does; another rate is resampled with a
    notice; the output is at the model's rate and as long as the input."""
    source = tmp_path / "in.wav"
    samples = utterance(180.0, 1.0, 0)
    if rate != RATE:
        from scipy.signal import resample_poly

        samples = resample_poly(samples, rate // 1000, RATE // 1000)
    sf.write(source, samples, rate, subtype=subtype)
    code, _, err = run_cli("run", "vawgan", "--input", source, "--target-speaker", "high",
                           "--weights", weights)
    assert code == 0, err
    assert (f"{rate} Hz resampled to {RATE} Hz" in err) == (rate != RATE)
    wave, written = sf.read(tmp_path / "in-to-high.wav")
    assert written == RATE and abs(len(wave) / RATE - len(samples) / rate) < 0.02


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


def _text(path):
    path.write_text("not audio at all")


def _silence(path):
    sf.write(path, np.zeros(RATE), RATE)


def _click(path):
    sf.write(path, utterance(110.0, 1.0, 0)[:300], RATE)


def _speech(path):
    sf.write(path, utterance(110.0, 1.0, 0), RATE)


@pytest.mark.parametrize(("write", "speaker", "message"), [
    pytest.param(_text, "low", "cannot read audio", id="unreadable audio"),
    pytest.param(_silence, "low", "contains only silence", id="silence"),
    pytest.param(_click, "low", "shorter than one analysis frame",
                 id="clip shorter than one frame"),
    pytest.param(_speech, "nobody", "unknown target speaker 'nobody'; this model knows high, low",
                 id="unknown target speaker lists the known ones"),
])
def test_unusable_input_is_one_line_and_writes_nothing(run_cli, weights, tmp_path, write,
                                                       speaker, message):
    source = tmp_path / "in.wav"
    write(source)
    output = tmp_path / "out.wav"
    one_line_error(run_cli("run", "vawgan", "--input", source, "--target-speaker", speaker,
                           "--weights", weights, "--output", output), message)
    assert not output.exists()


def test_a_single_speaker_corpus_is_one_line(run_cli, tmp_path):
    corpus = write_corpus(tmp_path / "one", speakers={"solo": (150.0, 1.0)})
    one_line_error(run_cli("train", "vawgan", "--data", corpus, "--out", tmp_path / "r", *TINY),
                   "needs at least two")


def test_recipe_without_espeak_says_how_to_install_it(run_cli, monkeypatch, tmp_path):
    monkeypatch.setattr("gantool_vawgan.recipes.espeak.shutil.which", lambda name: None)
    one_line_error(run_cli("data", "build", "speech-espeak", "--out", tmp_path / "speech"),
                   "apt-get install espeak-ng")
    assert not (tmp_path / "speech").exists()


def test_the_shipped_model_converts_with_no_weights(run_cli, tmp_path):
    """The default model knows the four VCC2016 speakers and moves a high voice's F0 down to
    the male target's."""
    import pyworld

    source = tmp_path / "high.wav"
    sf.write(source, utterance(220.0, 1.0, 0), RATE)
    message = one_line_error(run_cli("run", "vawgan", "--input", source, "--target-speaker",
                                     "us-f3"), "unknown target speaker")
    assert "SF1, SM1, TF1, TM1" in message
    code, _, err = run_cli("run", "vawgan", "--input", source, "--target-speaker", "TM1")
    assert code == 0, err
    wave, rate = sf.read(tmp_path / "high-to-TM1.wav")
    f0, _ = pyworld.dio(wave.astype(np.float64), rate)
    assert 70 < np.median(f0[f0 > 0]) < 160


def test_speaker_confusion_trains_a_probe_that_is_not_exported(run_cli, corpus, tmp_path):
    from safetensors import safe_open

    code, _, err = run_cli("train", "vawgan", "--data", corpus, "--out", tmp_path / "r", *TINY,
                           "--speaker-confusion", "1")
    assert code == 0, err
    logged = [json.loads(line) for line in open(tmp_path / "r" / "log.jsonl")]
    keys = {key for record in logged for key in record}
    assert {"probe/accuracy", "vae/confusion", "vawgan/confusion"} <= keys
    confusion = [r["vae/confusion"] for r in logged if "vae/confusion" in r]
    assert all(value >= -1e-5 for value in confusion)  # cross-entropy to uniform minus its floor
    with safe_open(tmp_path / "r" / "model.safetensors", "pt") as exported:
        assert not any("probe" in name for name in exported.keys())
