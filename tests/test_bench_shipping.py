"""The benches' shipping helper: only the named networks leave the run, and the card says
what the run was."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from gantool.checkpoint import load_weights, save_weights  # noqa: E402
from shipping import chain, ship_networks, write_card  # noqa: E402


def test_only_the_named_networks_are_shipped_with_a_card(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    tensors = {"networks/S/weight": torch.ones(3, 2), "networks/C/weight": torch.ones(5)}
    save_weights(run / "model.safetensors", tensors,
                 {"task": "segan", "config": json.dumps({"seed": 4}),
                  "networks": json.dumps(["S", "C"])})
    shipped = ship_networks(run, tmp_path / "weights" / "model.safetensors", "segan", ["S"])
    kept, metadata = load_weights(shipped.path, "segan")
    assert list(kept) == ["networks/S/weight"] and json.loads(metadata["networks"]) == ["S"]
    assert shipped.parameters == 6 and shipped.config == {"seed": 4}
    write_card(shipped, "A summary.", [("seed", "4")], ["A note."], "uv run python bench/x.py")
    card = shipped.path.with_name("MODEL_CARD.md").read_text()
    assert card.startswith("# model.safetensors\n\nA summary.") and "| seed | 4 |" in card
    assert "A note." in card and "uv run python bench/x.py --ship" in card


def test_the_card_shows_each_training_segment():
    lineage = [{"task": "segan", "steps": 3000, "data": {"images": "data/images"},
                "started_from": None},
               {"task": "segan", "steps": 500, "data": {}, "started_from": "ab" * 32}]
    cell = chain(lineage)
    assert cell.startswith("1. 3,000 steps on images `data/images`, from a fresh")
    assert "<br>2. 500 steps on no files, from weights sha256 abababababab" in cell
    assert chain([]).startswith("one, from a fresh initialisation")


def test_networks_over_the_limit_ship_in_float16_and_load_back_as_float32(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    layer = torch.nn.Linear(40, 30)
    tensors = {f"networks/G/{k}": v for k, v in layer.state_dict().items()}
    tensors["networks/G/steps"] = torch.tensor(7)
    save_weights(run / "model.safetensors", tensors,
                 {"task": "pix2pix", "config": "{}", "networks": json.dumps(["G"])})
    fits = ship_networks(run, tmp_path / "a" / "model.safetensors", "pix2pix", limit=10_000)
    assert fits.storage == "float32" and "MB float32 safetensors" in fits.described
    halved = ship_networks(run, tmp_path / "b" / "model.safetensors", "pix2pix", limit=4_000)
    kept, _ = load_weights(halved.path, "pix2pix")
    assert halved.storage == "float16" and kept["networks/G/weight"].dtype == torch.float16
    assert kept["networks/G/steps"].dtype == torch.int64  # only floating point is halved
    loaded = torch.nn.Linear(40, 30)
    loaded.load_state_dict({"weight": kept["networks/G/weight"], "bias": kept["networks/G/bias"]})
    assert loaded.weight.dtype == torch.float32
    torch.testing.assert_close(loaded.weight, layer.weight, atol=1e-3, rtol=1e-3)
    with pytest.raises(SystemExit, match="even in float16"):
        ship_networks(run, tmp_path / "c" / "model.safetensors", "pix2pix", limit=1_000)
