"""MNIST idx files: read gzipped or not, in either layout; each way a file is unusable is one
line naming the file."""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np
import pytest

from gantool.data.idx import read_split
from gantool.errors import GantoolError


def images_file(n: int, side: int = 28) -> bytes:
    pixels = np.arange(n * side * side, dtype=np.uint64).astype(np.uint8)
    return struct.pack(">IIII", 0x803, n, side, side) + pixels.tobytes()


def labels_file(n: int, top: int = 9) -> bytes:
    return struct.pack(">II", 0x801, n) + (np.arange(n) % (top + 1)).astype(np.uint8).tobytes()


def write(folder: Path, split: str = "t10k", images: bytes | None = None,
          labels: bytes | None = None, zipped: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for kind, data in (("images-idx3", images or images_file(12)),
                       ("labels-idx1", labels or labels_file(12))):
        name = f"{split}-{kind}-ubyte"
        if zipped:
            (folder / f"{name}.gz").write_bytes(gzip.compress(data))
        else:
            (folder / name).write_bytes(data)
    return folder


@pytest.mark.parametrize("zipped", [True, False])
def test_a_split_reads_gzipped_or_not(tmp_path, zipped):
    split = read_split(write(tmp_path, zipped=zipped), "test")
    assert split.images.shape == (12, 28, 28) and split.images.dtype == np.uint8
    assert split.labels.tolist() == [i % 10 for i in range(12)]


def test_torchvisions_layout_is_found(tmp_path):
    write(tmp_path / "MNIST" / "raw", zipped=False)
    assert read_split(tmp_path, "test").images.shape[0] == 12


@pytest.mark.parametrize(("images", "labels", "message"), [
    (images_file(12)[:-100], None, "truncated or padded"),
    (images_file(12)[:10], None, "truncated inside its header"),
    (labels_file(12), None, "are the image and label files swapped"),
    (b"PK\x03\x04 not idx at all", None, "not an idx file"),
    (None, labels_file(11), "12 images but"),
    (None, labels_file(12, top=11), "not a class 0-9"),
])
def test_unusable_files_are_one_line(tmp_path, images, labels, message):
    write(tmp_path, images=images, labels=labels)
    with pytest.raises(GantoolError, match=message):
        read_split(tmp_path, "test")


def test_a_damaged_gzip_file_is_one_line(tmp_path):
    write(tmp_path)
    path = tmp_path / "t10k-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:40])
    with pytest.raises(GantoolError, match="damaged or truncated gzip"):
        read_split(tmp_path, "test")


def test_missing_files_and_folders_name_what_to_pass(tmp_path):
    with pytest.raises(GantoolError, match="MNIST folder .* not found"):
        read_split(tmp_path / "absent", "train")
    with pytest.raises(GantoolError, match="no train-images-idx3-ubyte"):
        read_split(tmp_path, "train")


@pytest.mark.skipif(not Path(__file__).resolve().parents[2].joinpath(
    "..", "shared", "data", "mnist").is_dir(), reason="../shared/data/mnist is absent")
def test_the_real_mnist_reads_whole():
    root = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "mnist"
    train, test = read_split(root, "train"), read_split(root, "test")
    assert train.images.shape == (60000, 28, 28) and test.images.shape == (10000, 28, 28)
    assert np.bincount(test.labels).tolist()[:2] == [980, 1135]


def test_a_folder_of_idx_files_is_told_from_an_image_folder(tmp_path):
    from gantool.data.idx import holds_idx

    assert holds_idx(write(tmp_path / "flat"))
    assert holds_idx(write(tmp_path / "tv" / "MNIST" / "raw", zipped=False).parents[1])
    (tmp_path / "images" / "0").mkdir(parents=True)
    assert not holds_idx(tmp_path / "images")
    pixels = read_split(tmp_path / "flat", "test").pixels()
    assert pixels.shape == (12, 1, 28, 28) and pixels.dtype.name == "float32"
    assert 0 <= pixels.min() and pixels.max() <= 1
