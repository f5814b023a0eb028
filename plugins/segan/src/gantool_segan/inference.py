"""`gantool run segan`: a mask PNG and an overlay PNG for each scan.

Outputs go next to each input as `<name>_mask.png` and `<name>_overlay.png` (or into --output:
a folder, or for one input the mask's file name). Both are written through temporary files and
renamed only when both are complete, so a failure leaves no partial output.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from PIL import Image

from gantool.errors import GantoolError
from gantool.files import atomic_path, check_output_path, input_files
from gantool_segan.config import SeganRun
from gantool_segan.folders import SUFFIXES, read_image, to_channels
from gantool_segan.models import predict_labels
from gantool_segan.recipes.phantom import PALETTE
from gantool_segan.weights import Model, load_model

OUTPUT_SUFFIXES = ("_mask", "_overlay")
COLOURS = np.asarray(PALETTE, dtype=np.float32).reshape(-1, 3) / 255.0
"""Overlay colour of each class (class 1 red, class 2 blue; more classes cycle)."""


def segment(model: Model, image: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """H x W class indices of one H x W x C image in [0, 1]."""
    x = torch.from_numpy(to_channels(image, model.channels)).permute(2, 0, 1)[None].float()
    with torch.inference_mode():
        return predict_labels(model.segmentor(x), model.classes, threshold)[0].numpy()


def output_paths(inputs: list[Path], output: Path | None) -> list[tuple[Path, Path]]:
    """(mask, overlay) path of each input; refuses missing folders and overwriting inputs."""
    if output is not None and not output.is_dir():
        if len(inputs) > 1:
            raise GantoolError(f"--output {output} must be an existing directory for "
                               f"{len(inputs)} inputs")
        if output.suffix.lower() != ".png":
            raise GantoolError(f"--output {output}: the mask is written as PNG; name it .png "
                               "or pass a directory")
        targets = [(output, output.with_name(f"{output.stem}_overlay.png"))]
    else:
        folder = {p: output or p.parent for p in inputs}
        targets = [(folder[p] / f"{p.stem}_mask.png", folder[p] / f"{p.stem}_overlay.png")
                   for p in inputs]
    sources = {p.resolve() for p in inputs}
    for pair in targets:
        for target in pair:
            check_output_path(target)
            if target.resolve() in sources:
                raise GantoolError(f"refusing to overwrite the input {target}; choose "
                                   "--output")
    return targets


def mask_image(labels: np.ndarray, classes: int) -> Image.Image:
    """Binary: 0/255 greyscale; more classes: a palette PNG of class indices."""
    if classes == 2:
        return Image.fromarray((labels > 0).astype(np.uint8) * 255)
    mask = Image.fromarray(labels.astype(np.uint8), mode="P")
    mask.putpalette(PALETTE + [int(c * 255) for c in COLOURS[1:].ravel()] * 10)
    return mask


def overlay_image(image: np.ndarray, labels: np.ndarray, alpha: float) -> Image.Image:
    """The scan in grey (or its colours) with each class tinted by its colour."""
    rgb = to_channels(image, 3).copy()
    for k in range(1, int(labels.max()) + 1):
        colour = COLOURS[1 + (k - 1) % (len(COLOURS) - 1)]
        rgb[labels == k] = (1 - alpha) * rgb[labels == k] + alpha * colour
    return Image.fromarray(np.rint(rgb * 255).astype(np.uint8))


def run_files(options: SeganRun) -> list[Path]:
    if not 0 <= options.alpha <= 1 or not 0 < options.threshold < 1:
        raise GantoolError("--alpha must lie in [0, 1] and --threshold in (0, 1)")
    inputs = input_files(options.input, SUFFIXES,
                         skip=lambda p: p.stem.endswith(OUTPUT_SUFFIXES))
    targets = output_paths(inputs, options.output)
    model = load_model(options.weights)
    written = []
    for source, (mask_path, overlay_path) in zip(inputs, targets, strict=True):
        image = read_image(source)
        labels = segment(model, image, options.threshold)
        with atomic_path(mask_path) as mask_tmp, atomic_path(overlay_path) as overlay_tmp:
            mask_image(labels, model.classes).save(mask_tmp, format="PNG")
            overlay_image(image, labels, options.alpha).save(overlay_tmp, format="PNG")
        written += [mask_path, overlay_path]
    return written
