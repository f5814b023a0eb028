"""The real CLI end to end on tiny data, and one test per bad input."""

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from gantool.testing import one_line_error


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


def _sizes_differ(images: Path, masks: Path) -> None:
    write_pair(images, masks, "a", scan(16), binary_mask(12))


def _soft_mask(images: Path, masks: Path) -> None:
    write_pair(images, masks, "a", scan(), np.tile(np.arange(0, 256, 16, dtype=np.uint8), (16, 1)))


def _image_without_mask(images: Path, masks: Path) -> None:
    write_pair(images, masks, "a", scan(), binary_mask())
    Image.fromarray(scan()).save(images / "b.png")


def _empty_folders(images: Path, masks: Path) -> None:
    images.mkdir()
    masks.mkdir()


@pytest.mark.parametrize(("make", "message"), [
    pytest.param(_sizes_differ, "must have its image's size", id="image and mask sizes differ"),
    pytest.param(_soft_mask, "neither binary nor indexed", id="mask neither binary nor indexed"),
    pytest.param(_image_without_mask, "no mask for image b.png", id="missing mask for an image"),
    pytest.param(_empty_folders, "holds no images", id="empty folder"),
])
def test_bad_training_folders_are_one_line(run_cli, tmp_path: Path, make, message: str):
    images, masks = tmp_path / "images", tmp_path / "masks"
    make(images, masks)
    one_line_error(run_cli("train", "segan", "--images", images, "--masks", masks, "--out",
                           tmp_path / "run", *TINY), message)
    assert not (tmp_path / "run" / "model.safetensors").exists()


def test_eval_with_masks_of_more_classes_than_the_model(run_cli, weights: Path,
                                                       phantom_two: Path):
    one_line_error(run_cli("eval", "segan", "--weights", weights, "--images",
                           phantom_two / "test" / "images", "--masks",
                           phantom_two / "test" / "masks"), "segments 2 classes")


def test_run_refuses_a_missing_output_folder_and_writes_nothing(run_cli, weights: Path,
                                                                 tmp_path: Path):
    source = tmp_path / "scan.png"
    Image.fromarray(scan(64)).save(source)
    one_line_error(run_cli("run", "segan", "--input", source, "--weights", weights,
                           "--output", tmp_path / "missing" / "m.png"), "does not exist")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scan.png"]


def test_run_refuses_weights_of_another_task(run_cli, tmp_path: Path):
    import torch

    from gantool.checkpoint import save_weights

    other = tmp_path / "other.safetensors"
    save_weights(other, {"networks/G/w": torch.zeros(1)}, {"task": "superres"})
    source = tmp_path / "scan.png"
    Image.fromarray(scan(64)).save(source)
    one_line_error(run_cli("run", "segan", "--input", source, "--weights", other),
                   "not 'segan'")
    assert not (tmp_path / "scan_mask.png").exists()
