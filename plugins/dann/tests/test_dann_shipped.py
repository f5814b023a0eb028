"""`gantool run dann` with no --weights: the shipped MNIST -> MNIST-M model and its card."""

from __future__ import annotations

import json
from pathlib import Path

from gantool_dann.inference import SHIPPED

SAMPLES = Path(__file__).resolve().parents[3] / "datasets" / "samples" / "mnist-m"
"""The first eight MNIST-M test images, their true digit at the end of the name."""


def test_the_shipped_model_is_small_safetensors_with_a_card():
    assert SHIPPED.suffix == ".safetensors" and SHIPPED.stat().st_size < 10e6
    card = SHIPPED.with_name("MODEL_CARD.md").read_text()
    assert "MNIST-M test images" in card and "bench/dann_mnist.py" in card


def test_the_samples_are_classified_with_no_weights(run_cli):
    code, out, err = run_cli("run", "dann", "--input", SAMPLES, "--json")
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 8 and all(0.1 < row["probability"] <= 1 for row in rows)
    right = sum(row["class"] == Path(row["file"]).stem.split("_is_")[1] for row in rows)
    assert right >= 6  # the model is about 95 % accurate on MNIST-M


def test_a_grey_digit_of_another_size_gets_a_notice(run_cli, tmp_path):
    from PIL import Image

    grey = tmp_path / "grey.png"
    Image.open(next(SAMPLES.iterdir())).convert("L").resize((56, 56)).save(grey)
    code, out, err = run_cli("run", "dann", "--input", grey, "--json")
    assert code == 0, err
    assert "resized to the model's 28x28" in err and "1 -> 3 channels" in err
    assert set(json.loads(out)) == {"file", "class", "probability"}
