"""MNIST-style idx files (MNIST, Fashion-MNIST), read whole into memory, gzipped or not.

torchvision's MNIST dataset reads only uncompressed files laid out under `ROOT/MNIST/raw/` and
checks them with asserts; this reader takes the folder the files are in, as they are
distributed (`train-images-idx3-ubyte.gz`, ...), and turns every way a file can be unusable
(truncated, damaged, another kind of idx file, images and labels that disagree) into one line.
"""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gantool.errors import GantoolError

UBYTE = 0x08
IMAGES_DIMS, LABELS_DIMS = 3, 1
SPLITS = {"train": "train", "test": "t10k"}
CLASSES = tuple(str(digit) for digit in range(10))
"""Class names of label 0-9, as class folders of the same digits are named."""


@dataclass(frozen=True)
class IdxSplit:
    """One split: uint8 images N x H x W and int64 labels N."""

    images: np.ndarray
    labels: np.ndarray

    def pixels(self) -> np.ndarray:
        """The images as float32 N x 1 x H x W in [0, 1], as the networks take them."""
        return self.images[:, None].astype(np.float32) / 255.0


def holds_idx(root: Path) -> bool:
    """Whether `root` is a folder of idx files (rather than, say, of image folders)."""
    return any((folder / name).is_file()
               for folder in (Path(root), Path(root) / "MNIST" / "raw")
               for name in ("train-images-idx3-ubyte", "train-images-idx3-ubyte.gz",
                            "t10k-images-idx3-ubyte", "t10k-images-idx3-ubyte.gz"))


def find(root: Path, stem: str) -> Path:
    """`stem` or `stem.gz` in `root`, or in torchvision's layout `root/MNIST/raw/`."""
    for folder in (root, root / "MNIST" / "raw"):
        for name in (stem, f"{stem}.gz"):
            if (folder / name).is_file():
                return folder / name
    raise GantoolError(f"no {stem}[.gz] in {root}; pass the folder that holds the four MNIST idx "
                       "files (train-images-idx3-ubyte.gz, ...), nothing is downloaded")


def read_bytes(path: Path) -> bytes:
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rb") as handle:
                return handle.read()
        return path.read_bytes()
    except (gzip.BadGzipFile, EOFError, zlib.error):
        raise GantoolError(f"{path} is a damaged or truncated gzip file; copy it again") from None


def read_idx(path: Path, dims: int) -> np.ndarray:
    """The array an idx file holds, checked to be unsigned bytes with `dims` dimensions."""
    raw = read_bytes(path)
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0:
        raise GantoolError(f"{path} is not an idx file (it does not start with the idx magic "
                           "number); pass MNIST's original files")
    kind, found = raw[2], raw[3]
    if found != dims:
        expected = "images (idx3)" if dims == IMAGES_DIMS else "labels (idx1)"
        raise GantoolError(f"{path} holds a {found}-dimensional idx array where {expected} are "
                           "expected; are the image and label files swapped?")
    if kind != UBYTE:
        raise GantoolError(f"{path} holds idx type 0x{kind:02x}, not unsigned bytes (0x08)")
    header = 4 + 4 * dims
    if len(raw) < header:
        raise GantoolError(f"{path} is truncated inside its header; copy it again")
    shape = tuple(int(n) for n in np.frombuffer(raw, ">u4", dims, offset=4))
    size = int(np.prod(shape))
    if len(raw) - header != size:
        raise GantoolError(f"{path} is truncated or padded: its header promises "
                           f"{'x'.join(map(str, shape))} bytes of data ({size:,}) but it holds "
                           f"{len(raw) - header:,}; copy it again")
    return np.frombuffer(raw, np.uint8, size, offset=header).reshape(shape)


def read_split(root: Path, split: str) -> IdxSplit:
    """The images and labels of `split` ('train' or 'test'), checked against each other."""
    root = Path(root)
    if not root.is_dir():
        raise GantoolError(f"MNIST folder {root} not found; pass the folder holding the idx files")
    prefix = SPLITS[split]
    images_path = find(root, f"{prefix}-images-idx3-ubyte")
    labels_path = find(root, f"{prefix}-labels-idx1-ubyte")
    images = read_idx(images_path, IMAGES_DIMS)
    labels = read_idx(labels_path, LABELS_DIMS).astype(np.int64)
    if len(images) != len(labels):
        raise GantoolError(f"{images_path} holds {len(images):,} images but {labels_path} "
                           f"{len(labels):,} labels; use files of the same split")
    if len(labels) and labels.max() > 9:
        raise GantoolError(f"{labels_path} has label {labels.max()}, not a class 0-9")
    return IdxSplit(images, labels)
