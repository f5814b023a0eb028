"""`lesion-phantom`: synthetic greyscale 'scans' with lesions and their masks.

There is no medical data set on disk, so the recipe draws one. Each 64x64 scan is an elliptic
'organ' (textured tissue from smoothed noise, a bright rim, a dark outside) holding darker
low-contrast structures that are not lesions (so intensity alone is not enough) and zero to
three lesions: ellipses of random size and orientation, or irregular blobs cut from thresholded
smoothed noise. Lesion contrast, blur and the scanner noise vary per scan; about one scan in
six has no lesion, so the empty-mask cases of the metrics are exercised. In the two-class
variant bright ellipses are class 1 and dark irregular blobs class 2.

Layout: out/{train,test}/images/NNNN.png (8-bit grey), out/{train,test}/masks/NNNN.png (binary:
0/255; two-class: palette PNG of class indices), info.json.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image
from scipy.ndimage import gaussian_filter

from gantool.files import atomic_dir

SIZE = 64
TRAIN, TEST = 400, 100
PALETTE = [0, 0, 0, 255, 64, 64, 64, 160, 255]
"""Class colours of indexed masks: background black, class 1 red, class 2 blue."""


def _smooth_noise(rng: np.random.Generator, sigma: float) -> np.ndarray:
    """Zero-mean, unit-std smoothed Gaussian noise: a texture with blobs of about `sigma` px."""
    field = gaussian_filter(rng.standard_normal((SIZE, SIZE)), sigma)
    return (field - field.mean()) / (field.std() + 1e-8)


def _grid() -> tuple[np.ndarray, np.ndarray]:
    """Pixel-centre coordinates in [-1, 1]."""
    axis = (np.arange(SIZE) + 0.5) / SIZE * 2 - 1
    return np.meshgrid(axis, axis, indexing="xy")


def _ellipse(x: np.ndarray, y: np.ndarray, cx: float, cy: float, a: float, b: float,
             angle: float) -> np.ndarray:
    """Normalised radius: < 1 inside the rotated ellipse."""
    c, s = np.cos(angle), np.sin(angle)
    u, v = (x - cx) * c + (y - cy) * s, -(x - cx) * s + (y - cy) * c
    return (u / a) ** 2 + (v / b) ** 2


def _lesion_shape(rng: np.random.Generator, x: np.ndarray, y: np.ndarray, cx: float, cy: float,
                  blob: bool) -> np.ndarray:
    """Boolean lesion footprint: an ellipse, or thresholded noise under a radial falloff."""
    if not blob:
        a, b = rng.uniform(0.07, 0.22, 2)
        return _ellipse(x, y, cx, cy, a, b, rng.uniform(0, np.pi)) < 1
    radius = rng.uniform(0.12, 0.25)
    falloff = 1 - np.hypot(x - cx, y - cy) / radius
    return falloff + 0.35 * _smooth_noise(rng, 1.5) > 0.3


def scan(rng: np.random.Generator, two_class: bool) -> tuple[np.ndarray, np.ndarray]:
    """One scan (float in [0, 1]) and its label map (0 background, 1 lesion or lesion type)."""
    x, y = _grid()
    body = _ellipse(x, y, *rng.uniform(-0.05, 0.05, 2), *rng.uniform(0.75, 0.92, 2),
                    rng.uniform(0, np.pi))
    inside = body < 1
    image = np.where(inside, 0.42 + 0.06 * _smooth_noise(rng, 2.0), 0.04)
    image = np.where(inside & (body > 0.8), 0.72 + 0.05 * _smooth_noise(rng, 1.0), image)
    structures = (_smooth_noise(rng, 3.0) > 1.0) & (body < 0.7)
    image -= 0.08 * gaussian_filter(structures.astype(float), 1.0)
    labels = np.zeros((SIZE, SIZE), np.uint8)
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
        angle, distance = rng.uniform(0, 2 * np.pi), rng.uniform(0, 0.5)
        cx, cy = distance * np.cos(angle), distance * np.sin(angle)
        blob = bool(rng.random() < 0.5)
        footprint = _lesion_shape(rng, x, y, cx, cy, blob) & (body < 0.75)
        if two_class:
            contrast = -rng.uniform(0.12, 0.3) if blob else rng.uniform(0.12, 0.35)
        else:
            contrast = rng.uniform(0.12, 0.38) * (-1 if rng.random() < 0.2 else 1)
        texture = 1 + 0.15 * _smooth_noise(rng, 1.0)
        image += contrast * texture * gaussian_filter(footprint.astype(float),
                                                      rng.uniform(0.4, 1.0))
        labels[footprint] = (2 if blob else 1) if two_class else 1
    image += rng.uniform(0.015, 0.06) * rng.standard_normal((SIZE, SIZE))
    return np.clip(image, 0, 1), labels


def save_mask(labels: np.ndarray, path: Path, two_class: bool) -> None:
    """Binary masks as 0/255 greyscale, class maps as palette PNGs of indices."""
    if two_class:
        mask = Image.fromarray(labels, mode="P")
        mask.putpalette(PALETTE)
    else:
        mask = Image.fromarray((labels > 0).astype(np.uint8) * 255)
    mask.save(path)


def build(out: Path, seed: int, two_class: bool, train: int = TRAIN, test: int = TEST) -> Path:
    rng = np.random.default_rng(seed)
    lesion_pixels = []
    with atomic_dir(out) as tmp:
        for split, count in (("train", train), ("test", test)):
            (tmp / split / "images").mkdir(parents=True)
            (tmp / split / "masks").mkdir(parents=True)
            for i in range(count):
                image, labels = scan(rng, two_class)
                Image.fromarray(np.rint(image * 255).astype(np.uint8)).save(
                    tmp / split / "images" / f"{i:04d}.png")
                save_mask(labels, tmp / split / "masks" / f"{i:04d}.png", two_class)
                lesion_pixels.append(float((labels > 0).mean()))
        info = {"recipe": "lesion-phantom-2class" if two_class else "lesion-phantom",
                "size": [SIZE, SIZE], "seed": seed, "train": train, "test": test,
                "classes": ["background", "bright ellipse", "dark blob"] if two_class
                else ["background", "lesion"],
                "mean_lesion_fraction": round(float(np.mean(lesion_pixels)), 4)}
        (tmp / "info.json").write_text(json.dumps(info, indent=2))
    return Path(out)


def build_binary(source: Path | None, out: Path, seed: int) -> Path:
    """`gantool data build lesion-phantom`: binary lesion masks (no --source needed)."""
    return build(out, seed, two_class=False)


def build_two_class(source: Path | None, out: Path, seed: int) -> Path:
    """`gantool data build lesion-phantom-2class`: two lesion types, indexed masks."""
    return build(out, seed, two_class=True)
