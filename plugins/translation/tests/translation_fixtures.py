"""Tiny images and data folders for the translation tests (a uniquely named module, since
every plugin's test folder has its own conftest)."""

from pathlib import Path

import numpy as np
from PIL import Image

TINY_PAIRED = ["--steps", "2", "--batch-size", "2", "--image-size", "16", "--depth", "3",
               "--ngf", "4", "--ndf", "4", "--quiet", "--device", "cpu"]
TINY_UNPAIRED = ["--steps", "2", "--batch-size", "2", "--image-size", "16", "--blocks", "1",
                 "--ngf", "4", "--ndf", "4", "--pool-size", "3", "--quiet", "--device", "cpu"]


def scene(size: int, rng: np.random.Generator) -> np.ndarray:
    """A colour image: a random gradient and a square, H x W x 3 floats in [0, 1]."""
    ramp = np.linspace(0, 1, size, dtype=np.float32)
    image = rng.random(3) * ramp[:, None, None] + rng.random(3) * ramp[None, :, None] * 0.5
    top, left = rng.integers(0, size // 2, 2)
    image[top:top + size // 3, left:left + size // 3] = rng.random(3)
    return np.clip(image, 0, 1)


def save(pixels: np.ndarray, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.rint(pixels * 255).astype(np.uint8)).save(path)
    return path


def _paired(root: Path, size: int = 16, count: int = 4, seed: int = 0) -> Path:
    """root/train and root/test of grey|colour side-by-side pairs."""
    rng = np.random.default_rng(seed)
    for split in ("train", "test"):
        for i in range(count):
            colour = scene(size, rng)
            grey = np.repeat(colour.mean(2, keepdims=True), 3, 2)
            save(np.concatenate([grey, colour], 1), root / split / f"{i}.png")
    return root


def _unpaired(root: Path, size: int = 16, count: int = 4, seed: int = 0) -> Path:
    """root/{trainA,trainB,testA,testB}: dark and bright colour scenes."""
    rng = np.random.default_rng(seed)
    for folder, gain in (("trainA", 0.4), ("trainB", 1.0), ("testA", 0.4), ("testB", 1.0)):
        for i in range(count):
            save(scene(size, rng) * gain, root / folder / f"{i}.png")
    return root




def one_line_error(result: tuple[int, str, str], message: str, code: int = 2) -> None:
    """The command failed with `code` and said `message` in one line, without a traceback."""
    exit_code, _, err = result
    assert exit_code == code, err
    assert message in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
