"""Reading a domain from an image folder, with one clear error for each way it can be unusable.

A domain folder is either a split root (`DIR/train/...`, `DIR/test/...`, as the data recipes
write) or a single split: class folders `DIR/<class>/*.png` (labelled) or images directly in
`DIR` (unlabelled, allowed for the target only). A folder of MNIST-style idx files (MNIST,
Fashion-MNIST) is a domain too, with its own train/test split.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import Tensor

from gantool.data.idx import CLASSES, holds_idx, read_split
from gantool.errors import GantoolError
from gantool.files import IMAGE_SUFFIXES
from gantool.image_tensors import resize, set_channels
from gantool.images import image_files, read_image


@dataclass
class Domain:
    """Images as float N x C x H x W in [0, 1]; labels index `classes` (None: unlabelled)."""

    images: Tensor
    labels: Tensor | None
    classes: list[str]
    folder: Path

    @property
    def channels(self) -> int:
        return self.images.shape[1]

    @property
    def size(self) -> int:
        return self.images.shape[-1]


def split_folder(root: Path, split: str) -> Path:
    """`root/split` when the domain has such a split, else `root` itself."""
    root = Path(root)
    if not root.is_dir():
        raise GantoolError(f"{root} is not a directory; pass a folder of images")
    return root / split if (root / split).is_dir() else root


def has_test_split(root: Path) -> bool:
    """Whether the domain folder has labelled held-out data: a test/ folder, or idx files."""
    return Path(root).is_dir() and ((Path(root) / "test").is_dir() or holds_idx(root))


def stack(paths: list[Path], arrays: list[np.ndarray], size: int | None = None) -> Tensor:
    """`arrays` (uint8 H x W x C, read from `paths`) as one tensor at the first image's size,
    or each resized to `size`; greyscale is made RGB when any image is colour."""
    height, width, _ = arrays[0].shape
    channels = max(a.shape[2] for a in arrays)
    out = []
    for array, path in zip(arrays, paths, strict=True):
        if size is None and array.shape[:2] != (height, width):
            raise GantoolError(
                f"{path} is {array.shape[1]}x{array.shape[0]} but {paths[0]} is "
                f"{width}x{height}; all images of one domain must have one size (resize them)")
        x = torch.from_numpy(array.copy()).permute(2, 0, 1).float().div(255)
        if size is not None:
            x = resize(x[None], size)[0]
        out.append(x.expand(channels, -1, -1))
    return torch.stack(out)


def load_images(paths: list[Path], folder: Path) -> Domain:
    """Unlabelled images of one size (greyscale kept as one channel, so channel counts of the
    domains can be compared)."""
    return Domain(stack(paths, [read_image(p) for p in paths]), None, [], folder)


def load_domain(root: Path, split: str, *, what: str, need_labels: bool) -> Domain:
    """The `split` of a domain folder (`what` names it in messages: 'source', 'target')."""
    if Path(root).is_dir() and holds_idx(root):
        data = read_split(Path(root), split)
        return Domain(torch.from_numpy(data.pixels()), torch.from_numpy(data.labels),
                      list(CLASSES), Path(root))
    folder = split_folder(root, split)
    loose = image_files(folder)
    class_dirs = sorted(p for p in folder.iterdir() if p.is_dir() and image_files(p))
    if loose and class_dirs:
        raise GantoolError(
            f"{what} folder {folder} mixes images and class folders; move the {len(loose)} "
            "loose images into class folders or out of it")
    if not loose and not class_dirs:
        raise GantoolError(
            f"{what} folder {folder} holds no images ({', '.join(IMAGE_SUFFIXES)}); "
            f"check the --{what} path")
    if loose:
        if need_labels:
            raise GantoolError(
                f"{what} folder {folder} has no labels: its {len(loose)} images lie directly in "
                f"it; put each image in {folder}/<class>/ (one folder per class)")
        return load_images(loose, folder)
    paths, labels = [], []
    for index, class_dir in enumerate(class_dirs):
        files = image_files(class_dir)
        paths += files
        labels += [index] * len(files)
    images = stack(paths, [read_image(p) for p in paths])
    return Domain(images, torch.tensor(labels), [d.name for d in class_dirs], folder)


def conform(domain: Domain, size: int, channels: int) -> Domain:
    """`domain` at `size` and `channels` (`gantool.image_tensors`' rules), with a notice when
    anything changes, so a mismatch between domains is never silent."""
    changes = []
    images = domain.images
    if domain.size != size or images.shape[-2] != size:
        changes.append(f"resized {images.shape[-1]}x{images.shape[-2]} -> {size}x{size}")
        images = resize(images, size)
    if domain.channels != channels:
        changes.append(f"{domain.channels} -> {channels} channels")
        images = set_channels(images, channels)
    if changes:
        print(f"notice: {domain.folder}: {', '.join(changes)}", file=sys.stderr)
    return Domain(images.contiguous(), domain.labels, domain.classes, domain.folder)


def check_classes(source: Domain, target: Domain) -> None:
    """Target labels (used by target-only training and evaluation) must name source classes."""
    unknown = sorted(set(target.classes) - set(source.classes))
    if target.labels is not None and unknown:
        raise GantoolError(
            f"target classes {', '.join(unknown)} in {target.folder} are not among the source "
            f"classes ({', '.join(source.classes)}); name the class folders alike")


def relabel(target: Domain, classes: list[str]) -> Domain:
    """Target labels re-indexed into the source's class list."""
    if target.labels is None:
        return target
    index = torch.tensor([classes.index(name) for name in target.classes])
    return Domain(target.images, index[target.labels], classes, target.folder)
