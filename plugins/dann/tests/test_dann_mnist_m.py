"""The `mnist-m` recipe and DANN from MNIST's idx files, on tiny digits and photos the tests
make; each unusable input is one line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from gantool.testing import one_line_error, write_idx

TINY = ["--steps", "3", "--batch-size", "4", "--features", "4", "--hidden", "8", "--quiet",
        "--device", "cpu", "--checkpoint-every", "0"]


@pytest.fixture
def mnist(tmp_path: Path) -> Path:
    """20 training and 10 test digits, 28x28, every class present."""
    rng = np.random.default_rng(0)
    for prefix, n in (("train", 20), ("t10k", 10)):
        write_idx(tmp_path / "mnist", prefix, rng.integers(0, 256, (n, 28, 28)), np.arange(n) % 10)
    return tmp_path / "mnist"


def write_photos(folder: Path, count: int, size: tuple[int, int] = (96, 72)) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(1)
    for i in range(count):
        pixels = rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
        Image.fromarray(pixels).save(folder / f"photo{i}.png")
    return folder


def build(run_cli, mnist: Path, photos: Path, out: Path) -> tuple[int, str, str]:
    return run_cli("data", "build", "mnist-m", "--source", mnist, "--source", photos,
                   "--out", out)


def test_recipe_blends_every_digit_with_a_photo_patch(run_cli, mnist, tmp_path):
    out = tmp_path / "mnist-m"
    code, _, err = build(run_cli, mnist, write_photos(tmp_path / "photos", 10), out)
    assert code == 0, err
    train = sorted((out / "train").glob("*/*.png"))
    assert len(train) == 20 and len(list((out / "test").glob("*/*.png"))) == 10
    assert {p.parent.name for p in train} == {str(d) for d in range(10)}
    image = np.asarray(Image.open(train[0]))
    assert image.shape == (28, 28, 3)
    # a blend with a colour patch: the channels differ, unlike the grey digit
    assert np.abs(image[..., 0].astype(int) - image[..., 1]).max() > 0


@pytest.mark.parametrize("sources, message", [
    pytest.param(1, "pass --source DIR (MNIST idx files) --source DIR (colour photographs)",
                 id="one folder"),
    pytest.param(3, "pass --source DIR (MNIST idx files)", id="three folders"),
])
def test_recipe_needs_both_folders(run_cli, mnist, tmp_path, sources, message):
    args = [arg for _ in range(sources) for arg in ("--source", mnist)]
    one_line_error(run_cli("data", "build", "mnist-m", *args, "--out", tmp_path / "m"),
                   message)
    assert not (tmp_path / "m").exists()


@pytest.mark.parametrize("count, size, message", [
    pytest.param(3, (96, 72), "holds 3 photographs; MNIST-M needs at least 10", id="too few"),
    pytest.param(10, (50, 40), "is 50x40; patches need photos of at least 64 px",
                 id="too small"),
])
def test_unusable_photo_folders_are_one_line(run_cli, mnist, tmp_path, count, size, message):
    photos = write_photos(tmp_path / "photos", count, size)
    one_line_error(build(run_cli, mnist, photos, tmp_path / "m"), message)
    assert not (tmp_path / "m").exists()


def test_labels_given_as_images_are_one_line(run_cli, mnist, tmp_path):
    swapped = tmp_path / "swapped"
    swapped.mkdir()
    for name in ("train", "t10k"):
        (swapped / f"{name}-images-idx3-ubyte").write_bytes(
            (mnist / f"{name}-labels-idx1-ubyte").read_bytes())
        (swapped / f"{name}-labels-idx1-ubyte").write_bytes(
            (mnist / f"{name}-images-idx3-ubyte").read_bytes())
    one_line_error(build(run_cli, swapped, write_photos(tmp_path / "photos", 10),
                         tmp_path / "m"), "are the image and label files swapped?")


def test_dann_trains_from_idx_files_to_mnist_m_and_evaluates(run_cli, mnist, tmp_path):
    target = tmp_path / "mnist-m"
    assert build(run_cli, mnist, write_photos(tmp_path / "photos", 10), target)[0] == 0
    run = tmp_path / "run"
    code, _, err = run_cli("train", "dann", "--source", mnist, "--target", target,
                           "--architecture", "paper", "--centre", "--out", run, *TINY)
    assert code == 0, err
    assert "1 -> 3 channels" in err
    metrics = (run / "metrics.json").read_text()
    assert "source_acc" in metrics and "target_acc" in metrics
    code, out, err = run_cli("eval", "dann", "--weights", run / "model.safetensors",
                             "--embedding", "pca", "--points", "10", "--json")
    assert code == 0, err
    assert "(10)" in out  # both test splits: MNIST's 10 idx digits and MNIST-M's 10
    from gantool_dann.inference import load

    centre = load(run / "model.safetensors").networks["features"][0]
    assert centre.mean.shape == (1, 3, 1, 1) and 0 < float(centre.mean.min()) < 1
    # the evaluation's plot beside the weights does not stop the run from being extended
    code, _, err = run_cli("train", "dann", "--source", mnist, "--target", target,
                           "--architecture", "paper", "--centre", "--out", run, "--resume",
                           *TINY[:0], "--steps", "5", *TINY[2:])
    assert code == 0, err
    assert (run / "embedding.png").is_file()
