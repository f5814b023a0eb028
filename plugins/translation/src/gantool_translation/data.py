"""Data folders of both tasks, with one clear error for each way they can be unusable.

Paired (pix2pix): a split folder (`DIR/train`, `DIR/test`, or `DIR` itself for training) holds
side-by-side A|B images (the pix2pix convention) or `A/` and `B/` folders whose files pair up
by name. Unpaired (CycleGAN): `DIR/trainA` + `DIR/trainB` (`testA`, `testB`), the CycleGAN
convention, or `DIR/A` + `DIR/B`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch
from torch import Tensor
from torch.utils.data import Dataset

from gantool.errors import GantoolError
from gantool.files import IMAGE_SUFFIXES
from gantool.images import image_files
from gantool_translation.images import read_tensor, split_pair, stack, to_unit

TEST_SPLITS = ("test", "val")


@dataclass
class Pairs:
    """Aligned uint8 images: a[i] translates to b[i]."""

    a: Tensor
    b: Tensor
    folder: Path


def _existing(root: Path) -> Path:
    root = Path(root)
    if not root.is_dir():
        raise GantoolError(f"{root} is not a directory; check the --data path")
    return root


def paired_folder(root: Path, split: str) -> Path:
    """The folder of `split`: DIR/train (or DIR itself) for training; DIR/test or DIR/val."""
    root = _existing(root)
    if split == "train":
        return root / "train" if (root / "train").is_dir() else root
    for name in TEST_SPLITS:
        if (root / name).is_dir():
            return root / name
    raise GantoolError(f"{root} has no test/ (or val/) split of held-out pairs; pass --data "
                       "with one")


def _empty(folder: Path, what: str) -> GantoolError:
    return GantoolError(f"{what} folder {folder} holds no images ({', '.join(IMAGE_SUFFIXES)}); "
                        "check the --data path")


def _aligned(folder: Path, size: int) -> Pairs:
    files_a, files_b = image_files(folder / "A"), image_files(folder / "B")
    if not files_a:
        raise _empty(folder / "A", "paired")
    names_b = {p.stem: p for p in files_b}
    missing = [p.name for p in files_a if p.stem not in names_b]
    if missing or len(files_a) != len(files_b):
        raise GantoolError(
            f"{folder}/A and {folder}/B do not pair up by name ({len(files_a)} vs "
            f"{len(files_b)} images, e.g. {(missing or ['?'])[0]} has no partner); give each A "
            "image a B image of the same name")
    a, b = [], []
    for path in files_a:
        image_a, image_b = read_tensor(path), read_tensor(names_b[path.stem])
        if image_a.shape[-2:] != image_b.shape[-2:]:
            raise GantoolError(
                f"pair {path.name} has mismatched sizes: A is {image_a.shape[-1]}x"
                f"{image_a.shape[-2]}, B is {image_b.shape[-1]}x{image_b.shape[-2]}; "
                "an aligned pair must have one size")
        a.append(image_a)
        b.append(image_b)
    return Pairs(stack(a, size, folder / "A"), stack(b, size, folder / "B"), folder)


def load_pairs(root: Path, split: str, size: int) -> Pairs:
    """The pairs of `split`, each side resized to size x size."""
    folder = paired_folder(root, split)
    if (folder / "A").is_dir() or (folder / "B").is_dir():
        return _aligned(folder, size)
    files = image_files(folder)
    if not files:
        raise _empty(folder, "paired")
    halves = [split_pair(read_tensor(path), path) for path in files]
    return Pairs(stack([h[0] for h in halves], size, folder),
                 stack([h[1] for h in halves], size, folder), folder)


def domain_folders(root: Path, split: str) -> tuple[Path, Path]:
    """(A, B) folders of `split` ('train' or 'test') of an unpaired data folder."""
    root = _existing(root)
    for a, b in ((f"{split}A", f"{split}B"), ("A", "B")):
        if (root / a).is_dir() and (root / b).is_dir():
            return root / a, root / b
    if split == "test":
        raise GantoolError(f"{root} has no testA/ and testB/ folders of held-out images; "
                           "pass --data with them")
    raise GantoolError(f"{root} has neither trainA/ + trainB/ nor A/ + B/ folders; put each "
                       "domain's images in its own folder")


def _domain_files(folder: Path) -> list[Path]:
    files = image_files(folder)
    if not files:
        raise GantoolError(f"domain folder {folder} is empty (no {', '.join(IMAGE_SUFFIXES)} "
                           "images); put that domain's images in it")
    return files


def load_domain(folder: Path, size: int) -> Tensor:
    """uint8 N x C x size x size images of one domain folder."""
    return stack([read_tensor(path) for path in _domain_files(folder)], size, folder)


def load_domains(folders: tuple[Path, Path], size: int) -> tuple[Tensor, Tensor]:
    """Both domains, each checked for images before either is read (one error, no notices)."""
    for folder in folders:
        _domain_files(folder)
    return load_domain(folders[0], size), load_domain(folders[1], size)


JITTER_SCALE = 286 / 256
"""pix2pix's jitter: pairs are loaded at 286 px for 256 px crops; the same ratio at any size."""


def jitter_size(size: int) -> int:
    """The side pairs are loaded at so that random `size` crops can be cut from them."""
    return round(size * JITTER_SCALE)


class PairedDataset(Dataset):
    """Item i: (A_i, B_i) in [-1, 1], swapped for BtoA. With `crop`, the paper's augmentation:
    one random crop of that side and a random horizontal flip, the same for both images (drawn
    from torch's generator, which checkpoints save, so a resumed run sees the same crops)."""

    def __init__(self, pairs: Pairs, reverse: bool = False, crop: int | None = None) -> None:
        self.source, self.target = (pairs.b, pairs.a) if reverse else (pairs.a, pairs.b)
        self.crop = crop

    def __len__(self) -> int:
        return len(self.source)

    def __getitem__(self, index: int) -> tuple[Tensor, Tensor]:
        source, target = self.source[index], self.target[index]
        if self.crop is not None:
            source, target = random_crop((source, target), self.crop)
        return to_unit(source), to_unit(target)


def random_crop(images: tuple[Tensor, ...], crop: int) -> tuple[Tensor, ...]:
    """One random `crop` x `crop` window and a random horizontal flip, the same for all
    `images` (drawn from torch's generator, which checkpoints save)."""
    top, left = (int(torch.randint(side - crop + 1, ())) for side in images[0].shape[-2:])
    window = (..., slice(top, top + crop), slice(left, left + crop))
    flip = bool(torch.rand(()) < 0.5)
    return tuple(image[window].flip(-1) if flip else image[window] for image in images)


class UnpairedDataset(Dataset):
    """Item i: (A image, B image) in [-1, 1]; B goes through a fixed permutation so the
    pairing carries no order information (and no correspondence when B is built from A).
    With `crop`, each image gets its own random crop and flip (the paper's augmentation)."""

    def __init__(self, a: Tensor, b: Tensor, seed: int, crop: int | None = None) -> None:
        self.a, self.b, self.crop = a, b, crop
        self.length = max(len(a), len(b))
        self.order = torch.randperm(self.length, generator=torch.Generator().manual_seed(seed))

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index: int) -> tuple[Tensor, Tensor]:
        a, b = self.a[index % len(self.a)], self.b[int(self.order[index]) % len(self.b)]
        if self.crop is not None:
            (a,), (b,) = random_crop((a,), self.crop), random_crop((b,), self.crop)
        return to_unit(a), to_unit(b)


def has_test_split(root: Path) -> bool:
    return any((Path(root) / name).is_dir() for name in TEST_SPLITS)
