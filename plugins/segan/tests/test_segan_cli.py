"""The real CLI end to end on tiny data, and one test per bad input."""

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image


def write_pair(images: Path, masks: Path, name: str, image: np.ndarray,
               mask: np.ndarray) -> None:
    images.mkdir(parents=True, exist_ok=True)
    masks.mkdir(parents=True, exist_ok=True)
    Image.fromarray(image).save(images / f"{name}.png")
    Image.fromarray(mask).save(masks / f"{name}.png")


def scan(size: int = 16) -> np.ndarray:
    return np.random.default_rng(0).integers(0, 255, (size, size), dtype=np.uint8)


def binary_mask(size: int = 16) -> np.ndarray:
    mask = np.zeros((size, size), np.uint8)
    mask[4:9, 5:11] = 255
    return mask


TINY = ("--steps", "2", "--batch-size", "4", "--base", "4", "--depth", "3", "--critic-base",
        "4", "--checkpoint-every", "0", "--device", "cpu", "--quiet")


def one_line_error(code: int, err: str, fragment: str) -> None:
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), err
    assert fragment in lines[0]


@pytest.mark.parametrize("method", ["segan", "dice-bce"])
def test_train_eval_run(run_cli, phantom: Path, tmp_path: Path, method: str):
    out = tmp_path / method
    code, _, err = run_cli("train", "segan", "--images", phantom / "train" / "images",
                           "--masks", phantom / "train" / "masks", "--method", method,
                           "--out", out, *TINY)
    assert code == 0, err
    weights = out / "model.safetensors"
    code, out_text, err = run_cli("eval", "segan", "--weights", weights, "--images",
                                  phantom / "test" / "images", "--masks",
                                  phantom / "test" / "masks", "--json")
    assert code == 0, err
    assert '"Dice"' in out_text and method in out_text
    scan_path = tmp_path / "scan.png"
    Image.open(phantom / "test" / "images" / "0000.png").save(scan_path)
    code, _, err = run_cli("run", "segan", "--input", scan_path, "--weights", weights)
    assert code == 0, err
    mask = np.asarray(Image.open(tmp_path / "scan_mask.png"))
    assert mask.shape == (64, 64) and set(np.unique(mask)) <= {0, 255}
    assert Image.open(tmp_path / "scan_overlay.png").mode == "RGB"


def test_two_class_training_uses_a_softmax_head(run_cli, phantom_two: Path, tmp_path: Path):
    code, _, err = run_cli("train", "segan", "--images", phantom_two / "train" / "images",
                           "--masks", phantom_two / "train" / "masks", "--out",
                           tmp_path / "run", *TINY)
    assert code == 0, err
    code, _, err = run_cli("run", "segan", "--input", phantom_two / "test" / "images" /
                           "0001.png", "--weights", tmp_path / "run" / "model.safetensors",
                           "--output", tmp_path / "m.png")
    assert code == 0, err
    mask = Image.open(tmp_path / "m.png")
    assert mask.mode == "P" and np.asarray(mask).max() <= 2
    assert (tmp_path / "m_overlay.png").is_file()


def test_eval_scores_a_baseline_beside_the_model(run_cli, phantom: Path, weights: Path):
    code, out, err = run_cli("eval", "segan", "--weights", weights, "--baseline", weights,
                             "--images", phantom / "test" / "images", "--masks",
                             phantom / "test" / "masks", "--json")
    assert code == 0, err
    rows = json.loads(out)[0]["rows"]
    assert len(rows) == 2 and rows[0][2:] == rows[1][2:]


def train_on(run_cli, images: Path, masks: Path, tmp_path: Path) -> tuple[int, str, str]:
    return run_cli("train", "segan", "--images", images, "--masks", masks, "--out",
                   tmp_path / "run", *TINY)


def test_image_and_mask_of_different_sizes(run_cli, tmp_path: Path):
    images, masks = tmp_path / "images", tmp_path / "masks"
    write_pair(images, masks, "a", scan(16), binary_mask(12))
    code, _, err = train_on(run_cli, images, masks, tmp_path)
    one_line_error(code, err, "must have its image's size")
    assert not (tmp_path / "run" / "model.safetensors").exists()


def test_mask_that_is_not_binary_or_indexed(run_cli, tmp_path: Path):
    images, masks = tmp_path / "images", tmp_path / "masks"
    soft = np.tile(np.arange(0, 256, 16, dtype=np.uint8), (16, 1))
    write_pair(images, masks, "a", scan(), soft)
    code, _, err = train_on(run_cli, images, masks, tmp_path)
    one_line_error(code, err, "neither binary nor indexed")
    assert not (tmp_path / "run" / "model.safetensors").exists()


def test_missing_mask_for_an_image(run_cli, tmp_path: Path):
    images, masks = tmp_path / "images", tmp_path / "masks"
    write_pair(images, masks, "a", scan(), binary_mask())
    Image.fromarray(scan()).save(images / "b.png")
    code, _, err = train_on(run_cli, images, masks, tmp_path)
    one_line_error(code, err, "no mask for image b.png")


def test_empty_folder(run_cli, tmp_path: Path):
    images, masks = tmp_path / "images", tmp_path / "masks"
    images.mkdir()
    masks.mkdir()
    code, _, err = train_on(run_cli, images, masks, tmp_path)
    one_line_error(code, err, "holds no images")


def test_eval_with_masks_of_more_classes_than_the_model(run_cli, weights: Path,
                                                       phantom_two: Path):
    code, _, err = run_cli("eval", "segan", "--weights", weights, "--images",
                           phantom_two / "test" / "images", "--masks",
                           phantom_two / "test" / "masks")
    one_line_error(code, err, "segments 2 classes")


def test_run_refuses_a_missing_output_folder_and_writes_nothing(run_cli, weights: Path,
                                                                 tmp_path: Path):
    source = tmp_path / "scan.png"
    Image.fromarray(scan(64)).save(source)
    code, _, err = run_cli("run", "segan", "--input", source, "--weights", weights,
                           "--output", tmp_path / "missing" / "m.png")
    one_line_error(code, err, "does not exist")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scan.png"]


def test_run_refuses_weights_of_another_task(run_cli, tmp_path: Path):
    import torch

    from gantool.checkpoint import save_weights

    other = tmp_path / "other.safetensors"
    save_weights(other, {"networks/G/w": torch.zeros(1)}, {"task": "superres"})
    source = tmp_path / "scan.png"
    Image.fromarray(scan(64)).save(source)
    code, _, err = run_cli("run", "segan", "--input", source, "--weights", other)
    one_line_error(code, err, "not 'segan'")
    assert not (tmp_path / "scan_mask.png").exists()


def test_run_with_the_shipped_model_on_the_committed_sample(run_cli, tmp_path: Path):
    sample = Path(__file__).resolve().parents[3] / "datasets" / "samples" / "segan_scan.png"
    source = tmp_path / "segan_scan.png"
    source.write_bytes(sample.read_bytes())
    code, out, err = run_cli("run", "segan", "--input", source)
    assert code == 0, err
    mask = np.asarray(Image.open(tmp_path / "segan_scan_mask.png"))
    assert mask.shape == (64, 64) and (mask == 255).sum() > 50  # the sample's lesion: 234 px
    overlay = np.asarray(Image.open(tmp_path / "segan_scan_overlay.png")).astype(int)
    assert (overlay[..., 0] > overlay[..., 1] + 40)[mask == 255].mean() > 0.5  # tinted red
    assert "segan_scan_mask.png" in out
