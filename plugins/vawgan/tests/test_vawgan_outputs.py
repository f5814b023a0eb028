"""What `gantool run/eval vawgan` may write, and one line for every way weights are wrong."""

import numpy as np
import pytest
import soundfile as sf
import torch
from vawgan_speech import RATE, utterance

from gantool.checkpoint import save_weights
from gantool.testing import damaged_weights, one_line_error


def _wav(path, f0=110.0):
    sf.write(path, utterance(f0, 1.0, 0), RATE)
    return path


def _run(run_cli, source, weights, *extra):
    return run_cli("run", "vawgan", "--input", source, "--target-speaker", "high",
                   "--weights", weights, *extra)


def test_output_over_the_input_is_refused_and_the_input_kept(run_cli, weights, tmp_path):
    source = _wav(tmp_path / "in.wav")
    before = source.read_bytes()
    for flags in ([], ["--overwrite"]):
        one_line_error(_run(run_cli, source, weights, "--output", source, *flags),
                       "is the file being read")
    assert source.read_bytes() == before


def test_output_over_the_weights_is_refused(run_cli, weights, tmp_path):
    before = weights.read_bytes()
    one_line_error(_run(run_cli, _wav(tmp_path / "in.wav"), weights, "--output", weights,
                        "--overwrite"), "is the file being read")
    assert weights.read_bytes() == before


def test_an_existing_output_is_kept_unless_overwrite(run_cli, weights, tmp_path):
    source = _wav(tmp_path / "in.wav")
    output = tmp_path / "in-to-high.wav"  # the default output
    output.write_bytes(b"mine")
    one_line_error(_run(run_cli, source, weights), "already exists")
    assert output.read_bytes() == b"mine"
    code, out, err = _run(run_cli, source, weights, "--overwrite")
    assert code == 0, err
    assert f"wrote {output}" in out
    assert sf.info(output).samplerate == RATE
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left


def test_a_folder_with_one_bad_file_converts_the_others(run_cli, weights, tmp_path):
    folder = tmp_path / "clips"
    folder.mkdir()
    _wav(folder / "a.wav")
    _wav(folder / "b.wav", 220.0)
    (folder / "broken.wav").write_bytes(b"RIFF but not audio")
    code, out, err = _run(run_cli, folder, weights)
    assert code == 1, err
    assert "broken.wav" in err and "cannot read audio" in err and "Traceback" not in err
    written = sorted(p.name for p in (folder / "to-high").iterdir())
    assert written == ["a-to-high.wav", "b-to-high.wav"]
    assert out.count("wrote ") == 2


def test_a_folder_into_an_output_folder(run_cli, weights, tmp_path):
    folder = tmp_path / "clips"
    folder.mkdir()
    _wav(folder / "a.wav")
    out_dir = tmp_path / "converted"
    code, _, err = _run(run_cli, folder, weights, "--output", out_dir)
    assert code == 0, err
    assert sf.info(out_dir / "a-to-high.wav").channels == 1


def test_a_wav_of_nan_is_not_called_silence(run_cli, weights, tmp_path):
    source = tmp_path / "nan.wav"
    sf.write(source, np.full(RATE, np.nan), RATE, subtype="FLOAT")
    output = tmp_path / "out.wav"
    err = one_line_error(_run(run_cli, source, weights, "--output", output),
                         "holds non-finite samples")
    assert "silence" not in err and not output.exists()


def test_a_path_as_target_speaker_is_one_line(run_cli, weights, tmp_path):
    source = _wav(tmp_path / "in.wav")
    one_line_error(run_cli("run", "vawgan", "--input", source, "--target-speaker", "../high",
                           "--weights", weights), "is not a speaker name")


@pytest.mark.parametrize(("change", "message"), [
    ({"drop_tensor": "networks/decoder/speakers.weight"},
     "does not fit the vawgan network 'decoder'"),
    ({"drop_key": "speakers"}, "lacks the metadata 'speakers'"),
    # Without a list of networks (older files) every network in the file is loaded: one the
    # conversion needs must still be there.
    ({"drop_key": "networks", "drop_tensor": "networks/stats/"},
     "does not hold vawgan's network 'stats'"),
])
def test_damaged_weights_are_one_line(run_cli, weights, tmp_path, change, message):
    bad = damaged_weights(weights, tmp_path / "bad.safetensors", **change)
    source = _wav(tmp_path / "in.wav")
    one_line_error(_run(run_cli, source, bad), message)
    assert not (tmp_path / "in-to-high.wav").exists()
    one_line_error(run_cli("eval", "vawgan", "--weights", bad, "--plot", tmp_path / "p.png"),
                   message)


def test_weights_of_another_task_are_one_line(run_cli, tmp_path):
    other = tmp_path / "other.safetensors"
    save_weights(other, {"networks/G/w": torch.zeros(1)}, {"task": "seqgan"})
    source = _wav(tmp_path / "in.wav")
    one_line_error(_run(run_cli, source, other), "not 'vawgan'")
    one_line_error(run_cli("eval", "vawgan", "--weights", other), "not 'vawgan'")


def test_eval_plot_never_replaces_weights_or_an_existing_file(run_cli, weights, tmp_path):
    before = weights.read_bytes()
    one_line_error(run_cli("eval", "vawgan", "--weights", weights, "--plot", weights,
                           "--overwrite"), "is the file being read")
    assert weights.read_bytes() == before
    plot = tmp_path / "mine.png"
    plot.write_bytes(b"mine")
    one_line_error(run_cli("eval", "vawgan", "--weights", weights, "--plot", plot),
                   "already exists")
    assert plot.read_bytes() == b"mine"
