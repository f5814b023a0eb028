"""Reading folders and MNIST idx files, the balanced labelled subset, one line per bad input."""

import json
import shutil
from pathlib import Path

import pytest
import torch

from gantool.errors import GantoolError
from gantool.testing import one_line_error
from gantool_semisup.data import labelled_split, unlabelled_pool
from gantool_semisup.labels import balanced_subset

TINY = ["--steps", "2", "--batch-size", "6", "--labelled-batch", "6", "--widths", "8",
        "--g-width", "8", "--z-dim", "2", "--quiet", "--device", "cpu"]


def test_subset_is_balanced_and_fixed_by_the_seed():
    labels = torch.arange(3).repeat_interleave(10)
    names = ("a", "b", "c")
    subset = balanced_subset(labels, names, 6, seed=3)
    counts = torch.bincount(labels[subset], minlength=3).tolist()
    assert counts == [2, 2, 2] and len(set(subset.tolist())) == 6
    assert torch.equal(subset, balanced_subset(labels, names, 6, seed=3))
    assert not torch.equal(subset, balanced_subset(labels, names, 6, seed=4))


def test_folders_split_classes_and_unlabelled(folders, classes):
    train = labelled_split(folders, "folders", "train")
    assert train.classes == classes and train.shape == (1, 8, 8) and len(train.names) == 24
    assert labelled_split(folders, "folders", "test").images.shape[0] == 12
    assert unlabelled_pool(folders, "folders", None, train) is train
    shutil.copytree(folders / "test" / "bar", folders / "unlabelled")
    pool = unlabelled_pool(folders, "folders", None, train)
    assert pool.labels is None and pool.images.shape == (4, 1, 8, 8)
    shutil.copytree(folders / "test", folders / "train" / "unlabelled")
    assert unlabelled_pool(folders, "folders", None, train).images.shape[0] == 12
    assert labelled_split(folders, "folders", "train").classes == classes


def test_mnist_idx_files_load_from_either_layout(mnist_root, tmp_path):
    train = labelled_split(mnist_root, "mnist", "train")
    assert train.images.shape == (30, 1, 28, 28) and train.classes == tuple("0123456789")
    assert 0.0 <= train.images.min() and train.images.max() <= 1.0
    assert labelled_split(mnist_root, "mnist", "test").images.shape[0] == 10
    with pytest.raises(GantoolError, match="MNIST folder .* not found"):
        labelled_split(tmp_path / "nothing", "mnist", "train")


def test_training_on_mnist_records_the_labelled_subset(run_cli, mnist_root, tmp_path):
    code, _, err = run_cli("train", "ssl-gan", "--data", mnist_root, "--format", "mnist",
                           "--labels", "10", *TINY, "--out", tmp_path / "run")
    assert code == 0, err
    record = json.loads((tmp_path / "run" / "labelled.json").read_text())
    assert [len(names) for names in record["per_class"].values()] == [1] * 10


def _small_class(data):
    for path in sorted((data / "train" / "bar").iterdir())[:4]:
        path.unlink()


def _empty_class(data):
    (data / "train" / "empty").mkdir()


def _no_class_folders(data):
    shutil.rmtree(data / "train")
    (data / "train").mkdir()


@pytest.mark.parametrize(
    ("args", "change", "message"),
    [
        (["--labels", "2"], None, "--labels 2 does not split evenly over the 3 classes"),
        (["--labels", "7"], None, "give a multiple of 3 (for example --labels 6)"),
        (["--labels", "501"], None, "--labels 501 is more than the 24 labelled training"),
        (["--labels", "18"], _small_class, "class 'bar', which has only 4; lower --labels"),
        (["--labels", "3"], _empty_class, "holds no images"),
        (["--labels", "3"], _no_class_folders, "has no class folders"),
        (["--labels", "3", "--unlabelled", "missing-folder"], None,
         "unlabelled folder missing-folder not found"),
    ],
)
def test_bad_data_is_one_line(run_cli, folders, tmp_path, args, change, message):
    if change is not None:
        change(folders)
    one_line_error(run_cli("train", "ssl-gan", "--data", folders, *TINY, *args,
                           "--out", tmp_path / "run"), message)


def test_missing_data_folder_is_one_line(run_cli, tmp_path):
    one_line_error(run_cli("train", "triple-gan", "--data", tmp_path / "nope", *TINY,
                           "--out", tmp_path / "run"), "data folder")


def _truncated(raw: Path) -> None:
    path = raw / "train-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:-28])


def _swapped(raw: Path) -> None:
    images, labels = raw / "train-images-idx3-ubyte", raw / "train-labels-idx1-ubyte"
    data = images.read_bytes()
    images.write_bytes(labels.read_bytes())
    labels.write_bytes(data)


@pytest.mark.parametrize(("change", "message"), [
    (_truncated, "is truncated or padded"),
    (_swapped, "are the image and label files swapped"),
])
def test_bad_mnist_files_are_one_line(run_cli, mnist_root, tmp_path, change, message):
    change(mnist_root / "MNIST" / "raw")
    one_line_error(run_cli("train", "ssl-gan", "--data", mnist_root, "--format", "mnist",
                           "--labels", "10", *TINY, "--out", tmp_path / "run"), message)
