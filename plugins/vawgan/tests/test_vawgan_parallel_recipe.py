"""`gantool data build parallel-speech`: a parallel folder with a seeded held-out split."""

import json

import soundfile as sf
from vawgan_speech import RATE, utterance

from gantool.testing import one_line_error


def _parallel(folder, sentences, speakers=("a", "b")):
    for index, speaker in enumerate(speakers):
        (folder / speaker).mkdir(parents=True)
        for sentence in sentences:
            sf.write(folder / speaker / f"{sentence}.wav",
                     utterance(110.0 * (1 + index), 1.0, 0, seconds=0.1), RATE)
    return folder


def test_a_sixth_of_the_shared_sentences_is_held_out_by_seed(run_cli, tmp_path):
    source = _parallel(tmp_path / "src", [f"s{i:02d}" for i in range(12)])
    (source / "a" / "only_a.wav").write_bytes((source / "a" / "s00.wav").read_bytes())
    splits = []
    for seed in (0, 0, 1):
        out = tmp_path / f"out{len(splits)}"
        code, _, err = run_cli("data", "build", "parallel-speech", "--source", source,
                               "--out", out, "--seed", str(seed))
        assert code == 0, err
        assert sorted(p.name for p in (out / "a").iterdir())[-1] == "s11.wav"
        splits.append(json.loads((out / "split.json").read_text())["held_out"])
    assert len(splits[0]) == 2 and set(splits[0]) <= {f"s{i:02d}" for i in range(12)}
    assert splits[0] == splits[1] and splits[0] != splits[2]


def test_speakers_who_share_no_two_sentences_are_refused(run_cli, tmp_path):
    source = _parallel(tmp_path / "src", ["s00"])
    one_line_error(run_cli("data", "build", "parallel-speech", "--source", source,
                           "--out", tmp_path / "out"), "share 1 sentence(s)")
    assert not (tmp_path / "out").exists()
