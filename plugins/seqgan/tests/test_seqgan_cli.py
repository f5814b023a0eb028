"""`gantool train/eval/run seqgan` end to end on tiny inputs, and one line for each bad input."""

import json

import pytest
import torch
from safetensors.torch import load_file

from gantool.checkpoint import save_weights
from gantool.config import build
from gantool.metadata import read_metadata
from gantool.testing import damaged_weights, one_line_error
from gantool_seqgan.config import SeqganConfig
from gantool_seqgan.models import build_networks

TINY = ["--pretrain-steps", "6", "--d-pretrain-steps", "2", "--adversarial-steps", "2",
        "--d-steps", "2", "--rollouts", "2", "--g-batch", "4", "--batch-size", "8",
        "--seq-len", "8", "--embedding", "8", "--hidden", "8", "--d-embedding", "8",
        "--d-channels", "4", "--eval-samples", "20", "--quiet", "--device", "cpu"]


def train(run_cli, out, *extra):
    code, _, err = run_cli("train", "seqgan", "--out", out, *TINY, *extra)
    assert code == 0, err
    return out / "model.safetensors"


@pytest.mark.parametrize("level", ["word", "char"])
def test_text_training_reports_bleu_and_self_bleu(run_cli, corpus, tmp_path, level):
    weights = train(run_cli, tmp_path / level, "--data", corpus, "--level", level)
    metrics = json.loads((tmp_path / level / "metrics.json").read_text())
    assert {"bleu2", "bleu3", "bleu4", "self_bleu4", "nll_reference"} <= set(metrics)
    assert 0.0 <= metrics["bleu2"] <= 1.0
    stages = {json.loads(line).get("stage") for line in open(tmp_path / level / "log.jsonl")}
    assert {"pretrain", "d-pretrain", "adversarial"} <= stages
    vocab = json.loads(read_metadata(weights)["vocab"])
    assert vocab["level"] == level
    assert ("king" if level == "word" else "k") in vocab["tokens"]


def test_oracle_training_and_eval_report_nll_oracle(run_cli, tmp_path):
    weights = train(run_cli, tmp_path / "o", "--oracle", "--oracle-vocab", "20",
                    "--oracle-sequences", "64")
    code, out, err = run_cli("eval", "seqgan", "--weights", weights, "--num", "50", "--json")
    assert code == 0, err
    (table,) = json.loads(out)
    assert table["rows"][0][0] == "nll_oracle" and table["rows"][0][1] > 0


def test_eval_scores_against_the_reference_split(run_cli, corpus, tmp_path):
    weights = train(run_cli, tmp_path / "w", "--data", corpus, "--mode", "mle")
    code, out, err = run_cli("eval", "seqgan", "--weights", weights, "--num", "30", "--json")
    assert code == 0, err
    names = [row[0] for row in json.loads(out)[0]["rows"]]
    assert names == ["nll_reference", "bleu2", "bleu3", "bleu4", "self_bleu2", "self_bleu3",
                     "self_bleu4"]


def test_run_writes_num_lines_starting_with_the_prefix(run_cli, corpus, tmp_path):
    weights = train(run_cli, tmp_path / "w", "--data", corpus)
    output = tmp_path / "samples.txt"
    code, out, err = run_cli("run", "seqgan", "--weights", weights, "--num", "5",
                             "--prefix", "And the king", "--temperature", "0.7",
                             "--output", output)
    assert code == 0, err
    lines = output.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5 and all(line.startswith("And the king") for line in lines)


def test_the_shipped_caption_model_shows_its_samples_and_writes_nothing(run_cli, tmp_path,
                                                                        monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli("run", "seqgan", "--num", "4", "--prefix", "a man",
                             "--temperature", "0.8")
    assert code == 0, err
    captions = [line.strip("│ ") for line in out.splitlines() if "a man" in line]
    assert len(captions) == 4 and all(c.startswith("a man") for c in captions)
    assert all(len(c.split()) >= 4 for c in captions)  # whole captions, not a few tokens
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--num", "0", "--num must be at least 1"),
    ("--num", "-3", "--num must be at least 1"),
    ("--temperature", "0", "--temperature must be above 0"),
    ("--temperature", "-1", "--temperature must be above 0"),
    ("--temperature", "nan", "--temperature must be a finite number"),
    ("--temperature", "inf", "--temperature must be a finite number"),
    ("--prefix", " ".join(["a man"] * 20), "more than the model's sequence length 38"),
])
def test_bad_run_options_are_one_line(run_cli, option, value, message):
    one_line_error(run_cli("run", "seqgan", option, value), message)


def test_lines_longer_than_the_model_are_cut_with_a_notice(run_cli, tmp_path):
    text = tmp_path / "lines.txt"
    text.write_text("\n".join(["the cat sat on the mat ."] * 30
                              + ["the dog ran " * 6 + "."]) + "\n")
    code, _, err = run_cli("train", "seqgan", "--data", text, "--unit", "line",
                           "--out", tmp_path / "run", *TINY)  # TINY: --seq-len 8
    assert code == 0, err
    assert "cut to --seq-len 8" in err and "pass --seq-len 20 to keep them whole" in err


def test_init_continues_from_an_mle_model_and_resume_matches_an_unbroken_run(
        run_cli, corpus, tmp_path):
    pretrained = train(run_cli, tmp_path / "pre", "--data", corpus, "--mode", "mle",
                       "--adversarial-steps", "0")
    args = ["--data", corpus, "--init", pretrained, "--pretrain-steps", "0",
            "--checkpoint-every", "1"]
    whole = train(run_cli, tmp_path / "whole", *args, "--adversarial-steps", "3")
    train(run_cli, tmp_path / "parts", *args, "--adversarial-steps", "1")
    code, _, err = run_cli("train", "seqgan", "--out", tmp_path / "parts", *TINY, *args,
                           "--adversarial-steps", "3", "--resume")
    assert code == 0, err
    a, b = load_file(whole), load_file(tmp_path / "parts" / "model.safetensors")
    assert all(a[key].equal(b[key]) for key in a)


def test_g_steps_and_k_epochs_repeat_the_updates(run_cli, corpus, tmp_path):
    train(run_cli, tmp_path / "once", "--data", corpus, "--log-every", "1")
    train(run_cli, tmp_path / "more", "--data", corpus, "--log-every", "1",
          "--g-steps", "2", "--k-epochs", "3")

    def adversarial_records(run):
        return [json.loads(line) for line in open(tmp_path / run / "log.jsonl")
                if json.loads(line).get("stage") == "adversarial"]

    once, more = adversarial_records("once"), adversarial_records("more")
    assert len(once) == len(more) == 4  # --adversarial-steps 2 x --d-steps 2
    # Same schedule of turns, different updates: repeats change what G and D learn.
    assert [r.get("G/loss") is None for r in once] == [r.get("G/loss") is None for r in more]
    assert once[-1]["D/loss"] != more[-1]["D/loss"]


def test_zero_k_epochs_is_one_line(run_cli, corpus, tmp_path):
    one_line_error(run_cli("train", "seqgan", "--data", corpus, "--k-epochs", "0",
                           "--out", tmp_path / "run"),
                   "--k-epochs must be at least 1")


@pytest.mark.parametrize("filters", ["4,4", "4,0,4,4"])
def test_filter_counts_that_do_not_fit_the_widths_are_one_line(run_cli, corpus, tmp_path,
                                                                filters):
    one_line_error(run_cli("train", "seqgan", "--data", corpus, "--d-filters", filters,
                           "--out", tmp_path / "run"),
                   "--d-filters needs one positive count per width of --d-widths (4)")


def test_per_width_filter_counts_train_and_are_kept_with_the_model(run_cli, corpus, tmp_path):
    weights = train(run_cli, tmp_path / "w", "--data", corpus, "--d-widths", "1,3",
                    "--d-filters", "3,5")
    metadata = read_metadata(weights)
    config = build(SeqganConfig, json.loads(metadata["config"]))
    assert config.d_filters == [3, 5]
    critic = build_networks(config, metadata)["D"]
    assert [conv.out_channels for conv in critic.convs] == [3, 5]


@pytest.mark.parametrize(("name", "content", "message"), [
    pytest.param("empty.txt", b"  \n", "is empty", id="empty file"),
    pytest.param("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file",
                 id="binary file"),
    pytest.param("latin1.txt", "caf\xe9 au lait".encode("latin-1"), "not UTF-8",
                 id="non-UTF-8 file"),
    pytest.param("short.txt", b"In the beginning\n", "fewer than one sequence",
                 id="text shorter than one sequence"),
])
def test_unusable_text_is_one_line(run_cli, tmp_path, name, content, message):
    (tmp_path / name).write_bytes(content)
    one_line_error(run_cli("train", "seqgan", "--data", tmp_path / name,
                           "--out", tmp_path / "r", *TINY), message)


def test_init_from_another_vocabulary_is_one_line(run_cli, corpus, write_text, tmp_path):
    weights = train(run_cli, tmp_path / "chars", "--data", corpus, "--level", "char",
                    "--mode", "mle")
    # the file's tokenizer options are the defaults of a warm start; asking for others
    # gives another vocabulary of the same size bounds, which only the plugin can tell
    one_line_error(run_cli("train", "seqgan", "--data", corpus, "--init", weights,
                           "--level", "word", "--out", tmp_path / "r", *TINY),
                   "vocabulary mismatch")
    assert not (tmp_path / "r" / "model.safetensors").exists()


def test_eval_on_text_of_another_vocabulary_is_one_line(run_cli, corpus, tmp_path):
    weights = train(run_cli, tmp_path / "w", "--data", corpus, "--mode", "mle")
    other = tmp_path / "other.txt"
    other.write_text("Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n" * 30)
    one_line_error(run_cli("eval", "seqgan", "--weights", weights, "--data", other),
                   "vocabulary mismatch")


def test_unknown_prefix_token_is_one_line_and_writes_nothing(run_cli, corpus, tmp_path):
    weights = train(run_cli, tmp_path / "w", "--data", corpus, "--mode", "mle")
    output = tmp_path / "samples.txt"
    one_line_error(run_cli("run", "seqgan", "--weights", weights, "--prefix", "And the zebra",
                           "--output", output), "'zebra' is not in the model's vocabulary")
    assert not output.exists()


def test_data_and_oracle_together_is_one_line(run_cli, corpus, tmp_path):
    one_line_error(run_cli("train", "seqgan", "--data", corpus, "--oracle",
                           "--out", tmp_path / "r", *TINY), "exactly one of")


def test_weights_of_another_task_are_refused(run_cli, tmp_path):
    other = tmp_path / "other.safetensors"
    save_weights(other, {"networks/G/w": torch.zeros(1)}, {"task": "dann"})
    one_line_error(run_cli("run", "seqgan", "--weights", other,
                           "--output", tmp_path / "s.txt"), "not 'seqgan'")
    one_line_error(run_cli("eval", "seqgan", "--weights", other), "not 'seqgan'")


@pytest.mark.parametrize(("change", "message"), [
    ({"drop_tensor": "networks/G/out.bias"}, "does not fit the seqgan network 'G'"),
    ({"drop_key": "vocab"}, "lacks the metadata 'vocab'"),
    # Without a list of networks (older files) every network in the file is loaded: G must
    # still be one of them.
    ({"drop_key": "networks", "drop_tensor": "networks/G/"}, "does not hold seqgan's network 'G'"),
])
def test_damaged_weights_are_one_line_for_every_verb(run_cli, corpus, tmp_path, change,
                                                     message):
    weights = damaged_weights(train(run_cli, tmp_path / "w", "--data", corpus, "--mode", "mle"),
                              tmp_path / "bad.safetensors", **change)
    one_line_error(run_cli("run", "seqgan", "--weights", weights,
                           "--output", tmp_path / "s.txt"), message)
    one_line_error(run_cli("eval", "seqgan", "--weights", weights), message)
    one_line_error(run_cli("train", "seqgan", "--data", corpus, "--init", weights,
                           "--out", tmp_path / "r", *TINY), message)
    assert not (tmp_path / "s.txt").exists()


def test_truncated_weights_are_one_line(run_cli, corpus, tmp_path):
    weights = train(run_cli, tmp_path / "w", "--data", corpus, "--mode", "mle")
    weights.write_bytes(weights.read_bytes()[:-100])
    one_line_error(run_cli("run", "seqgan", "--weights", weights,
                           "--output", tmp_path / "s.txt"), "not a readable safetensors file")


def test_samples_never_replace_the_weights(run_cli, corpus, tmp_path):
    weights = train(run_cli, tmp_path / "w", "--data", corpus, "--mode", "mle")
    before = weights.read_bytes()
    for flags in ([], ["--overwrite"]):
        one_line_error(run_cli("run", "seqgan", "--weights", weights, "--output", weights,
                               *flags), "is the file being read")
    assert weights.read_bytes() == before


def test_existing_samples_are_kept_unless_overwrite(run_cli, corpus, tmp_path):
    weights = train(run_cli, tmp_path / "w", "--data", corpus, "--mode", "mle")
    output = weights.with_name("samples.txt")  # the default output
    output.write_text("mine\n")
    one_line_error(run_cli("run", "seqgan", "--weights", weights), "already exists")
    assert output.read_text() == "mine\n"
    code, out, err = run_cli("run", "seqgan", "--weights", weights, "--num", "3",
                             "--overwrite")
    assert code == 0, err
    assert f"wrote {output}" in out
    assert len(output.read_text(encoding="utf-8").splitlines()) == 3
    assert not [p for p in output.parent.iterdir() if p.name.startswith(".")]


def test_output_folder_gets_samples_txt(run_cli, corpus, tmp_path):
    weights = train(run_cli, tmp_path / "w", "--data", corpus, "--mode", "mle")
    folder = tmp_path / "out"
    folder.mkdir()
    code, _, err = run_cli("run", "seqgan", "--weights", weights, "--output", folder)
    assert code == 0, err
    assert len((folder / "samples.txt").read_text(encoding="utf-8").splitlines()) == 10
