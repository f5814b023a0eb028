"""`gantool run segan`: a mask PNG and an overlay PNG for each scan (`gantool.run` plans,
checks and writes them: `<name>_mask.png` and `<name>_overlay.png` beside the scans, or in
--output, a folder, or for one scan the mask's file name)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import Tensor

from gantool.image_tensors import resize, set_channels
from gantool.images import to_channels
from gantool.models import load_model
from gantool.run import Inputs, Output, Run, notice
from gantool.train.devices import device_of
from gantool_segan.config import SeganRun
from gantool_segan.folders import SUFFIXES, read_image
from gantool_segan.models import Segmentor, predict_labels
from gantool_segan.plugin import TASK
from gantool_segan.recipes.phantom import PALETTE

SHIPPED = Path(__file__).parent / "weights" / "segan_lgg.safetensors"
"""The brain-tumour segmentor of the LGG FLAIR benchmark (see weights/MODEL_CARD.md), with the
patient split it was trained on beside it."""
COLOURS = np.asarray(PALETTE, dtype=np.float32).reshape(-1, 3) / 255.0
"""Overlay colour of each class (class 1 red, class 2 blue; more classes cycle)."""


@dataclass
class Model:
    segmentor: Segmentor
    classes: int
    channels: int
    method: str
    path: Path
    image_size: int = 0
    """The side the model was trained at (0: the images' own); inputs are resized to it."""
    threshold: float = 0.5
    """Binary models: the foreground threshold chosen on validation patients where the file
    records one (`THRESHOLD_KEY`), else 0.5."""
    flip: bool = False
    """Predict each scan as the mean of its logits and its mirror image's: for a model trained
    with flips (`--augment`), which learned that symmetry."""


THRESHOLD_KEY = "threshold"
"""The weights' metadata key of a calibrated threshold (written when a bench ships a model)."""


def load(path: Path | None) -> Model:
    """The eval-mode segmentor of `path` (default: the shipped model)."""
    loaded = load_model(path or SHIPPED, TASK)
    return Model(loaded["S"], int(loaded.metadata["classes"]), int(loaded.metadata["channels"]),
                 loaded.config.method, loaded.path,
                 int(loaded.metadata.get("image_size", "0")),
                 float(loaded.metadata.get(THRESHOLD_KEY, "0.5")), bool(loaded.config.augment))


def segment(model: Model, image: np.ndarray, threshold: float | None = None) -> np.ndarray:
    """H x W class indices of one H x W x C image in [0, 1], at the image's own size (see
    `logits`); `threshold` replaces the model's own."""
    return predict_labels(logits(model, image), model.classes,
                          model.threshold if threshold is None else threshold)[0].cpu().numpy()


def logits(model: Model, image: np.ndarray) -> Tensor:
    """1 x K x H x W logits of one image, as the model predicts: an image of another size than
    the model's is resized to it and the logits resized back; mirrored too where it learned
    flips."""
    return logits_with(model.segmentor, image, model.channels, model.image_size, model.flip)


def logits_with(segmentor: Segmentor, image: np.ndarray, channels: int, size: int = 0,
                flip: bool = False) -> Tensor:
    x = set_channels(torch.from_numpy(image).permute(2, 0, 1)[None].float(), channels)
    height, width = image.shape[:2]
    resized = bool(size) and (height, width) != (size, size)
    with torch.inference_mode():
        x = x.to(device_of(segmentor))
        x = resize(x, size) if resized else x
        out = segmentor(x)
        if flip:
            out = (out + segmentor(x.flip(-1)).flip(-1)) / 2
        if resized:
            out = F.interpolate(out, size=(height, width), mode="bilinear", align_corners=False)
        return out


def segment_with(segmentor: Segmentor, image: np.ndarray, classes: int, channels: int,
                 size: int = 0, threshold: float = 0.5) -> np.ndarray:
    """`segment` for a bare segmentor (validation during training: one view)."""
    return predict_labels(logits_with(segmentor, image, channels, size), classes,
                          threshold)[0].cpu().numpy()


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


def predict(model: Model, source: Path, options: SeganRun) -> dict[str, Image.Image]:
    """The mask and the overlay of one scan."""
    image = read_image(source)
    if image.shape[2] != model.channels:
        kind = "grey" if model.channels == 1 else "RGB"
        notice(f"{source} has {image.shape[2]} channel(s); converted to {kind}, as the model "
               "was trained")
    labels = segment(model, image, options.threshold)
    return {"mask": mask_image(labels, model.classes),
            "overlay": overlay_image(image, labels, options.alpha)}


run = Run(TASK, predict, inputs=Inputs(SUFFIXES),
          outputs=(Output("mask", "{stem}_mask.png"), Output("overlay", "{stem}_overlay.png")),
          load=lambda weights, options: load(weights))
