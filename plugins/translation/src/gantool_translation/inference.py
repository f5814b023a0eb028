"""`gantool run pix2pix|cyclegan`: translate the user's images of any size.

A generator learns the scale of its training images, so each image is resized to the side the
model trained at (its shorter side; `--side` chooses another, 0 keeps the input's), padded
(replicating its border) to the multiple of the generator's downsampling, translated, cropped
back and resized to the input's size: the output always has the input's size. pix2pix keeps
its dropout on, as in the paper (it is the model's noise), with a fixed seed so runs repeat.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from torch import Tensor, nn

from gantool.errors import GantoolError
from gantool.image_tensors import resize, set_channels
from gantool.run import Output, Run, notice
from gantool_translation.config import TranslationRun
from gantool_translation.domains import other_domain_notice
from gantool_translation.images import (
    from_unit,
    pad_to,
    read_tensor,
    to_pixels,
    to_unit,
)
from gantool_translation.translators import (
    CYCLEGAN,
    PIX2PIX,
    Model,
    Translator,
    load_cyclegan,
    load_pix2pix,
)

SEED = 0
Translation = tuple[Translator, int]
"""One direction of a model and the multiple its generator needs the sides to be."""


def keep_dropout(generator: nn.Module) -> nn.Module:
    """Dropout layers in training mode (pix2pix's test-time noise), the rest in eval mode."""
    for module in generator.modules():
        if isinstance(module, nn.Dropout):
            module.train()
    return generator


@torch.no_grad()
def translate(translator: Translator, images: Tensor, multiple: int) -> Tensor:
    """uint8 N x C x H x W -> float N x C' x H x W in [0, 1], any H and W."""
    height, width = images.shape[-2:]
    x = pad_to(to_unit(images), multiple)
    return from_unit(translator.generator(x))[..., :height, :width]


def conform(image: Tensor, channels: int, convert: bool, path: Path) -> Tensor:
    """The image with the model's channel count, or an error when it differs and --convert is
    not given (a silent conversion would hide a wrong model or a wrong direction)."""
    if image.shape[0] == channels:
        return image
    if not convert:
        kinds = {1: "greyscale", 3: "colour"}
        raise GantoolError(
            f"{path} is {kinds[image.shape[0]]} but the model takes {kinds[channels]} images; "
            "pass --convert to convert it, or weights trained on such images")
    return set_channels(image, channels)


def prepared(model: Model, options: TranslationRun) -> Translation:
    """The direction the options ask for, seeded so that runs repeat."""
    torch.manual_seed(SEED)
    return model.translator(options.direction), model.multiple


def at_side(height: int, width: int, side: int) -> tuple[int, int]:
    """`height` and `width` scaled so the shorter is `side`."""
    scale = side / min(height, width)
    return max(1, round(height * scale)), max(1, round(width * scale))


@torch.no_grad()
def translate_at(translator: Translator, images: Tensor, multiple: int, side: int) -> Tensor:
    """uint8 N x C x H x W translated with their shorter side at `side` (0: as they are) and
    brought back to H x W: float in [0, 1]."""
    height, width = images.shape[-2:]
    working = resize(images, at_side(height, width, side)) if side else images
    return resize(translate(translator, working, multiple), (height, width))


def translate_file(model: Translation, path: Path, options: TranslationRun) -> np.ndarray:
    """One image translated at the model's training side (or --side), then brought back to
    the input's size: uint8 H x W x C."""
    translator, multiple = model
    image = conform(read_tensor(path, options.max_pixels), translator.channels_in,
                    options.convert, path)
    message = other_domain_notice(image, translator.smooth_in, translator.smooth_out)
    if message:
        notice(f"{path}: {message}")
    side = translator.side if options.side is None else options.side
    return to_pixels(translate_at(translator, image[None], multiple, side)[0])


def load_pix2pix_run(weights: Path, options: TranslationRun) -> Translation:
    translator, multiple = prepared(load_pix2pix(weights), options)
    keep_dropout(translator.generator)
    return translator, multiple


def _run(task: str, load: Callable[[Path, TranslationRun], Translation]) -> Run:
    """Beside one input as NAME_<task>_<direction>.png, else in a folder <task>_<direction>/
    beside them, or in --output."""
    tag = task + "_{direction}"
    return Run(task, translate_file, outputs=(Output("translation", "{stem}_" + tag + ".png"),),
               folder=tag, load=load)


run_pix2pix = _run(PIX2PIX, load_pix2pix_run)
run_cyclegan = _run(CYCLEGAN, lambda weights, options: prepared(load_cyclegan(weights),
                                                                 options))
