"""Reading labelled and unlabelled images, with one clear error for each way data is unusable.

Folders: `DIR/<class>/*.png` (or `DIR/train/<class>/`, `DIR/test/<class>/` as the data recipes
write them); a sub-folder named `unlabelled` holds unlabelled images. MNIST: the folder holding
its four idx files as distributed (gzipped or not; torchvision's `ROOT/MNIST/raw/` also works).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import Tensor

from gantool.errors import GantoolError
from gantool.files import IMAGE_SUFFIXES
from gantool.images import Mode, image_files, read_image, resize

UNLABELLED = "unlabelled"


@dataclass(frozen=True)
class Images:
    """Float N x C x H x W images in [0, 1]; `labels` index `classes` (None: unlabelled);
    `names` identify each image (path relative to its folder, or MNIST split and index)."""

    images: Tensor
    labels: Tensor | None
    classes: tuple[str, ...]
    names: tuple[str, ...]

    @property
    def shape(self) -> tuple[int, int, int]:
        return tuple(self.images.shape[1:])  # type: ignore[return-value]


def read_images(paths: list[Path], shape: tuple[int, int, int] | None = None) -> Tensor:
    """Images as one N x C x H x W tensor in [0, 1]: at `shape` when given (resized, converted
    to its channels), else at the first image's size and mode (grey or RGB); differing sizes
    without `shape` are refused."""
    mode: Mode = "auto" if shape is None else ("L" if shape[0] == 1 else "RGB")
    arrays: list[np.ndarray] = []
    for path in paths:
        pixels = read_image(path, mode)
        mode = "L" if pixels.shape[2] == 1 else "RGB"
        if shape is not None and pixels.shape[:2] != shape[1:]:
            pixels = resize(pixels, (shape[2], shape[1]))
        if arrays and pixels.shape != arrays[0].shape:
            raise GantoolError(
                f"{path} is {pixels.shape[1]}x{pixels.shape[0]} but {paths[0]} is "
                f"{arrays[0].shape[1]}x{arrays[0].shape[0]}; resize the images to one size")
        arrays.append(pixels)
    return torch.from_numpy(np.stack(arrays)).permute(0, 3, 1, 2).float().div(255).contiguous()


def split_root(data: Path, split: str) -> Path:
    """`data/split` when the data set has such a split, else `data` itself."""
    if not data.is_dir():
        raise GantoolError(f"data folder {data} not found; pass a folder of class folders")
    return data / split if (data / split).is_dir() else data


def class_folders(root: Path) -> Images:
    """Labelled images of `root/<class>/` (the `unlabelled` folder excluded)."""
    folders = sorted(p for p in root.iterdir() if p.is_dir() and p.name != UNLABELLED)
    if not folders:
        raise GantoolError(f"{root} has no class folders; put each image in {root}/<class>/")
    paths: list[Path] = []
    labels: list[int] = []
    for index, folder in enumerate(folders):
        files = image_files(folder, recursive=True)
        if not files:
            raise GantoolError(f"class folder {folder} holds no images "
                               f"({', '.join(IMAGE_SUFFIXES)}); add images or remove the folder")
        paths += files
        labels += [index] * len(files)
    return Images(read_images(paths), torch.tensor(labels), tuple(f.name for f in folders),
                  tuple(str(p.relative_to(root)) for p in paths))


def unlabelled_folder(folder: Path, shape: tuple[int, int, int]) -> Images:
    if not folder.is_dir():
        raise GantoolError(f"unlabelled folder {folder} not found; pass an existing folder "
                           "to --unlabelled or leave it out to use the training images")
    files = image_files(folder, recursive=True)
    if not files:
        raise GantoolError(f"unlabelled folder {folder} holds no images "
                           f"({', '.join(IMAGE_SUFFIXES)})")
    return Images(read_images(files, shape), None, (),
                  tuple(str(p.relative_to(folder)) for p in files))


def mnist(root: Path, train: bool) -> Images:
    """MNIST (or Fashion-MNIST) from the folder holding its idx files, gzipped or not."""
    from gantool.data.idx import CLASSES, read_split

    split = "train" if train else "test"
    data = read_split(Path(root), split)
    return Images(torch.from_numpy(data.pixels()), torch.from_numpy(data.labels), CLASSES,
                  tuple(f"{split}/{i}" for i in range(len(data.labels))))


def labelled_split(data: Path, format: str, split: str) -> Images:
    """The labelled images of one split ('train' or 'test')."""
    if format == "mnist":
        return mnist(Path(data), split == "train")
    return class_folders(split_root(Path(data), split))


def unlabelled_pool(data: Path, format: str, unlabelled: Path | None, train: Images) -> Images:
    """The unlabelled images: the given folder, DIR/unlabelled, or the training images with
    their labels kept only for monitoring (the standard semi-supervised protocol)."""
    if unlabelled is None and format == "folders":
        candidates = (split_root(Path(data), "train") / UNLABELLED, Path(data) / UNLABELLED)
        unlabelled = next((c for c in candidates if c.is_dir()), None)
    if unlabelled is None:
        return train
    return unlabelled_folder(Path(unlabelled), train.shape)
