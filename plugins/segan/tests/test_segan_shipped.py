"""`gantool run segan` with no --weights: the shipped brain-MRI model, its card, its split and
the committed sample slice (from one of its test patients, never trained on)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
from PIL import Image

from gantool_segan.inference import SHIPPED
from gantool_segan.metrics import scores

SAMPLE = Path(__file__).resolve().parents[3] / "datasets" / "samples" / "segan_flair.png"
TRUTH = SAMPLE.with_name("segan_flair_tumour.png")


def test_the_shipped_model_is_small_safetensors_with_a_card_and_a_split():
    assert SHIPPED.suffix == ".safetensors" and SHIPPED.stat().st_size < 10e6
    card = SHIPPED.with_name("MODEL_CARD.md").read_text()
    assert "bench/segan_lgg.py" in card and "per-patient Dice" in card
    split = json.loads(SHIPPED.with_name("split.json").read_text())
    train, val, test = (set(split[part]) for part in ("train", "val", "test"))
    assert train and val and test and not (train & val or train & test or val & test)
    patient = re.search(r"of test patient (\w+)", card)
    assert patient and patient.group(1) in test  # the demo sample was never trained on


def test_the_shipped_model_loads_with_its_stored_config():
    from gantool_segan.inference import load

    model = load(None)
    assert model.path == SHIPPED and (model.classes, model.channels) == (2, 1)
    assert model.image_size == 128 and not model.segmentor.training
    parameters = sum(p.numel() for p in model.segmentor.parameters())
    assert f"{parameters:,} parameters" in SHIPPED.with_name("MODEL_CARD.md").read_text()


def test_the_sample_tumour_is_found_with_no_weights(run_cli, tmp_path: Path):
    source = tmp_path / "slice.png"
    source.write_bytes(SAMPLE.read_bytes())
    code, out, err = run_cli("run", "segan", "--input", source)
    assert code == 0, err
    assert "slice_mask.png" in out
    mask = np.asarray(Image.open(tmp_path / "slice_mask.png"))
    truth = np.asarray(Image.open(TRUTH)) > 0
    assert mask.shape == truth.shape == (256, 256) and set(np.unique(mask)) <= {0, 255}
    # a test patient's median tumour slice: 0.38 when shipped (the model's mean per-patient
    # Dice on its test patients is 0.475, see the card); clearly better than no overlap
    assert scores(mask > 0, truth)["dice"] > 0.3
    overlay = np.asarray(Image.open(tmp_path / "slice_overlay.png")).astype(int)
    assert (overlay[..., 0] > overlay[..., 1] + 40)[mask == 255].mean() > 0.5  # tinted red


def test_a_colour_slice_of_another_size_gets_a_notice_and_a_mask_of_its_size(run_cli, tmp_path):
    source = tmp_path / "colour.png"
    Image.open(SAMPLE).convert("RGB").resize((300, 300), Image.BILINEAR).save(source)
    code, _, err = run_cli("run", "segan", "--input", source)
    assert code == 0, err
    assert "has 3 channel(s); converted to grey" in err
    mask = np.asarray(Image.open(tmp_path / "colour_mask.png"))
    truth = np.asarray(Image.open(TRUTH).resize((300, 300), Image.NEAREST)) > 0
    assert mask.shape == (300, 300) and scores(mask > 0, truth)["dice"] > 0.3


def test_an_all_black_slice_has_an_empty_mask(run_cli, tmp_path: Path):
    source = tmp_path / "black.png"
    Image.fromarray(np.zeros((256, 256), np.uint8)).save(source)
    code, _, err = run_cli("run", "segan", "--input", source)
    assert code == 0, err
    assert not np.asarray(Image.open(tmp_path / "black_mask.png")).any()
