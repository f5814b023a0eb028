"""Patient folders (the LGG FLAIR layout): split by patient, saved with the run, scored per
patient as volumes; each unusable folder is one line. Data made by the tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from gantool.testing import one_line_error
from gantool_segan.metrics import patient_scores
from gantool_segan.patients import Patient, split_patients

TINY = ["--steps", "3", "--batch-size", "4", "--base", "4", "--depth", "3", "--critic-base",
        "4", "--quiet", "--device", "cpu", "--checkpoint-every", "0"]


def write_patients(root: Path, patients: int = 6, slices: int = 4, size: int = 32) -> Path:
    """root/images/<patient>/<patient>_<n>.png with a bright disc (the tumour) on slices 2..,
    and root/masks/... (0/255) of the same names."""
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[:size, :size]
    for p in range(patients):
        name = f"P{p:02d}"
        for folder in ("images", "masks"):
            (root / folder / name).mkdir(parents=True, exist_ok=True)
        for n in range(1, slices + 1):
            disc = (yy - size / 2) ** 2 + (xx - size / 2 - p) ** 2 < (size / 6) ** 2
            disc &= n > 1
            image = 0.3 * rng.random((size, size)) + 0.6 * disc
            Image.fromarray(np.uint8(image * 255)).save(root / "images" / name / f"{name}_{n}.png")
            Image.fromarray(np.uint8(disc) * 255).save(root / "masks" / name / f"{name}_{n}.png")
    return root


@pytest.fixture
def lgg(tmp_path: Path) -> Path:
    return write_patients(tmp_path / "lgg")


def train(run_cli, data: Path, out: Path, *extra: str) -> Path:
    code, _, err = run_cli("train", "segan", "--images", data / "images", "--masks",
                           data / "masks", "--out", out, *TINY, *extra)
    assert code == 0, err
    return out / "model.safetensors"


def test_the_split_draws_whole_patients_from_the_seed():
    names = [f"P{i}" for i in range(20)]
    split = split_patients(names, 0, 0.1, 0.2)
    assert [len(split[p]) for p in ("train", "val", "test")] == [14, 2, 4]
    assert sorted(sum(split.values(), [])) == sorted(names)
    assert split == split_patients(names, 0, 0.1, 0.2) != split_patients(names, 1, 0.1, 0.2)


def test_a_run_saves_its_split_and_eval_scores_its_test_patients(run_cli, lgg, tmp_path):
    weights = train(run_cli, lgg, tmp_path / "run", "--method", "dice-bce", "--image-size",
                    "16", "--eval-every", "3")
    split = json.loads((tmp_path / "run" / "split.json").read_text())
    assert len(split["test"]) == 1 and len(split["val"]) == 1 and len(split["train"]) == 4
    assert "val_patient_dice" in (tmp_path / "run" / "metrics.json").read_text()
    code, out, err = run_cli("eval", "segan", "--weights", weights, "--images", lgg / "images",
                             "--masks", lgg / "masks", "--json")
    assert code == 0, err
    (table,) = json.loads(out)
    assert "(test patients)" in table["title"] and "1 patients, 4 slices" in table["notes"][0]
    assert table["columns"][2] == "patient Dice" and 0 <= table["rows"][0][2] <= 1
    code, out, _ = run_cli("eval", "segan", "--weights", weights, "--images", lgg / "images",
                           "--masks", lgg / "masks", "--split", "all", "--json")
    assert code == 0 and "6 patients, 24 slices" in out
    code, out, _ = run_cli("eval", "segan", "--weights", weights, "--images", lgg / "images",
                           "--masks", lgg / "masks", "--largest-region", "--json")
    assert code == 0 and "only its largest predicted region kept" in out
    # the saved split does not stop the run from being extended
    train(run_cli, lgg, tmp_path / "run", "--method", "dice-bce", "--image-size", "16",
          "--resume", "--steps", "4")


def test_a_volume_is_scored_as_one_and_slices_with_tumour_alone():
    from gantool_segan.folders import Pair

    truth = [np.zeros((8, 8), np.int64), np.zeros((8, 8), np.int64)]
    truth[1][2:6, 2:6] = 1
    patient = Patient("p", [Pair(f"p_{i}", np.zeros((8, 8, 1), np.float32), t)
                            for i, t in enumerate(truth)])
    half = np.zeros((8, 8), np.int64)
    half[2:6, 2:4] = 1
    predictions = iter([np.zeros((8, 8), np.int64), half])
    result = patient_scores(lambda image: next(predictions), patient)
    assert result["dice"] == pytest.approx(2 * 8 / (8 + 16))
    assert result["slice_dice"] == pytest.approx(result["dice"])  # the empty slice is left out
    assert result["precision"] == 1 and result["sensitivity"] == 0.5


def _empty_patient(root: Path) -> None:
    (root / "images" / "P99").mkdir()
    (root / "masks" / "P99").mkdir()


def _patient_without_masks(root: Path) -> None:
    for f in (root / "masks" / "P01").iterdir():
        f.unlink()
    (root / "masks" / "P01").rmdir()


def _mask_without_image(root: Path) -> None:
    (root / "images" / "P02" / "P02_3.png").unlink()


@pytest.mark.parametrize("make, message", [
    (_empty_patient, "patient folder"),
    (_patient_without_masks, "patient P01 has no mask folder"),
    (_mask_without_image, "P02_3.png has no image"),
])
def test_unusable_patient_folders_are_one_line(run_cli, lgg, tmp_path, make, message):
    make(lgg)
    one_line_error(run_cli("train", "segan", "--images", lgg / "images", "--masks",
                           lgg / "masks", "--out", tmp_path / "run", *TINY), message)
    assert not (tmp_path / "run" / "model.safetensors").exists()


def test_run_resizes_to_the_model_and_writes_masks_at_the_input_size(run_cli, lgg, tmp_path):
    weights = train(run_cli, lgg, tmp_path / "run", "--method", "dice-bce", "--image-size",
                    "16")
    scan = tmp_path / "scan.png"
    Image.fromarray(np.zeros((40, 48, 3), np.uint8)).save(scan)  # colour, all zeros
    code, _, err = run_cli("run", "segan", "--input", scan, "--weights", weights)
    assert code == 0, err
    assert "has 3 channel(s); converted to grey" in err
    mask = np.asarray(Image.open(tmp_path / "scan_mask.png"))
    assert mask.shape == (40, 48) and set(np.unique(mask)) <= {0, 255}


def test_largest_region_keeps_one_mass_in_3d_and_mends_a_volume_with_a_false_alarm():
    from gantool_segan.folders import Pair
    from gantool_segan.metrics import largest_region

    volume = np.zeros((3, 8, 8), bool)
    volume[0:2, 2:5, 2:5] = True  # 18 voxels across two slices: one region in 3-D
    volume[2, 6:8, 6:8] = True  # 4 voxels elsewhere
    assert largest_region(volume).sum() == 18 and not largest_region(volume)[2].any()
    assert largest_region(np.zeros((2, 4, 4), bool)).sum() == 0

    truth = [volume[i] & (np.arange(8)[:, None] < 5) for i in range(3)]
    patient = Patient("p", [Pair(f"p_{i}", np.zeros((8, 8, 1), np.float32), t.astype(np.int64))
                            for i, t in enumerate(truth)])
    def predicted() -> Callable[[np.ndarray], np.ndarray]:
        slices = iter(volume.astype(np.int64))
        return lambda image: next(slices)

    raw = patient_scores(predicted(), patient)
    kept = patient_scores(predicted(), patient, largest=True)
    assert kept["precision"] == 1 and raw["precision"] < 1 and kept["dice"] > raw["dice"]


def test_calibration_picks_the_validation_threshold_and_a_model_file_carries_it(
        run_cli, lgg, tmp_path):
    from gantool.checkpoint import load_weights, save_weights
    from gantool_segan.evaluation import CANDIDATES, calibrate, score_patients
    from gantool_segan.inference import THRESHOLD_KEY, load
    from gantool_segan.patients import load_patients, read_split

    weights = train(run_cli, lgg, tmp_path / "run", "--method", "dice-bce", "--image-size",
                    "16", "--augment")
    model = load(weights)
    assert model.threshold == 0.5 and model.flip  # trained with flips: predicts with them
    patients = load_patients(lgg / "images", lgg / "masks", read_split(weights)["val"])
    threshold, dice = calibrate(model, patients)
    assert threshold in CANDIDATES and 0 <= dice <= 1
    assert dice == pytest.approx(score_patients(model, patients, threshold)[1]["dice"])
    assert all(dice >= score_patients(model, patients, t)[1]["dice"] - 1e-9
               for t in CANDIDATES)
    tensors, metadata = load_weights(weights, "segan")
    save_weights(weights, tensors, {**metadata, THRESHOLD_KEY: str(threshold)})
    assert load(weights).threshold == threshold
