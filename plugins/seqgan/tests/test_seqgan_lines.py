"""`--unit line`: each line (a caption) is one sequence, scored as Texygen scores captions."""

from __future__ import annotations

import json
import math

import pytest
from test_seqgan_cli import TINY, train

from gantool.testing import one_line_error
from gantool_seqgan.bleu import sentence_bleu_mean
from gantool_seqgan.text import line_sequences, load_splits
from gantool_seqgan.vocab import NEWLINE, Vocabulary, tokenize

CAPTIONS = ["a man rides a horse on the beach .", "a cat sits on a red chair .",
            "two dogs play in the snow .", "a woman holds an umbrella in the rain ."]


@pytest.fixture
def captions(tmp_path):
    """The text-GAN benchmarks' layout: train.txt and test.txt."""
    folder = tmp_path / "captions"
    folder.mkdir()
    (folder / "train.txt").write_text("\n".join(CAPTIONS * 4) + "\n")
    (folder / "test.txt").write_text("\n".join(reversed(CAPTIONS)) + "\n")
    return folder


def test_train_txt_and_test_txt_are_the_splits(captions):
    splits = load_splits(captions)
    assert splits.train.splitlines()[:4] == CAPTIONS
    assert splits.reference.splitlines() == list(reversed(CAPTIONS))


def test_each_line_is_a_sequence_ended_and_padded_by_the_line_break(capsys):
    vocab = Vocabulary.build(tokenize("\n".join(CAPTIONS), "word") + [NEWLINE], "word", False,
                             100)
    rows = line_sequences("\n".join(CAPTIONS), vocab, 10)
    end = vocab.index[NEWLINE]
    assert rows.shape == (4, 10)
    assert vocab.line(rows[2].tolist()) == vocab.encode(tokenize(CAPTIONS[2], "word"))
    assert rows[2].tolist()[7:] == [end] * 3  # 7 tokens, then the end and its padding
    assert capsys.readouterr().err == ""
    cut = line_sequences("\n".join(CAPTIONS), vocab, 8)
    assert cut.shape == (4, 8)
    assert "3 of the 4 lines" in capsys.readouterr().err  # 9, 8 and 9 tokens and the end


def test_sentence_bleu_is_the_mean_of_each_hypothesis_against_all_references():
    references = [["a", "cat", "sat"], ["the", "dog", "ran"]]
    perfect, half = ["a", "cat", "sat"], ["a", "dog", "x"]
    assert sentence_bleu_mean([perfect], references, max_n=2) == pytest.approx([1.0, 1.0])
    # half: unigrams a, dog match (2/3); no bigram matches (smoothed to 0.1/2); same length
    expected_2 = math.sqrt(2 / 3 * 0.1 / 2)
    assert sentence_bleu_mean([half], references, max_n=2) == pytest.approx([2 / 3, expected_2])
    both = sentence_bleu_mean([perfect, half], references, max_n=2)
    assert both == pytest.approx([(1 + 2 / 3) / 2, (1 + expected_2) / 2])


def test_a_line_model_trains_is_scored_and_samples_whole_lines(run_cli, captions, tmp_path):
    weights = train(run_cli, tmp_path / "run", "--data", captions, "--unit", "line",
                    "--seq-len", "12")
    metrics = json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert {"bleu2", "bleu5", "self_bleu2"} <= set(metrics)
    code, out, err = run_cli("run", "seqgan", "--weights", weights, "--num", "4")
    assert code == 0, err
    assert "¶" not in out


def test_eval_scores_a_line_model_as_its_training_did(run_cli, captions, tmp_path):
    weights = train(run_cli, tmp_path / "run", "--data", captions, "--unit", "line",
                    "--seq-len", "12")
    trained = json.loads((tmp_path / "run" / "metrics.json").read_text())
    code, out, err = run_cli("eval", "seqgan", "--weights", weights, "--num", "20", "--json")
    assert code == 0, err
    scores = {name: value for name, value in json.loads(out)[0]["rows"]}
    assert "bleu5" in scores  # sentence BLEU of each line, not windows' corpus BLEU
    for name in ("nll_reference", "bleu2", "bleu5", "self_bleu2"):
        assert scores[name] == pytest.approx(trained[name], abs=1e-4)


def test_fine_tuning_on_other_captions_keeps_the_models_vocabulary(run_cli, captions, tmp_path):
    from gantool_seqgan.inference import load

    weights = train(run_cli, tmp_path / "base", "--data", captions, "--unit", "line",
                    "--seq-len", "12", "--mode", "mle")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "train.txt").write_text("a cat sits on the beach .\na zebra holds a red umbrella .\n"
                                    * 4)
    (mine / "test.txt").write_text("a man sits in the snow .\n")
    code, _, err = run_cli("train", "seqgan", "--out", tmp_path / "tuned", *TINY, "--data", mine,
                           "--init", weights, "--mode", "mle")
    assert code == 0, err
    assert "4 of the 63 training tokens" in err and "'zebra'" in err  # its one unknown word
    assert load(tmp_path / "tuned" / "model.safetensors").vocab == load(weights).vocab
    (mine / "train.txt").write_text("zebras graze quietly yonder\n" * 8)
    one_line_error(run_cli("train", "seqgan", "--out", tmp_path / "other", *TINY, "--data", mine,
                           "--init", weights, "--mode", "mle"), "vocabulary mismatch")
