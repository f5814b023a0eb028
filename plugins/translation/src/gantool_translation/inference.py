"""`gantool run pix2pix|cyclegan`: translate the user's images of any size.

Each image is padded (replicating its border) to the multiple of the generator's downsampling,
translated and cropped back, so the output has the input's size. pix2pix keeps its dropout on,
as in the paper (it is the model's noise), with a fixed seed so runs repeat.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import Tensor, nn

from gantool.errors import GantoolError
from gantool.files import check_output_path, input_files
from gantool_translation.config import TranslationRun
from gantool_translation.images import (
    SUFFIXES,
    from_unit,
    pad_to,
    read_image,
    save_image,
    set_channels,
    to_unit,
)
from gantool_translation.weights import Translator, load_model

SEED = 0


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


def outputs_for(files: list[Path], options: TranslationRun, task: str) -> list[Path]:
    """One PNG per input: beside it as NAME_<task>_<direction>.png, or in --output."""
    suffix = f"_{task}_{options.direction}.png"
    if len(files) == 1 and Path(options.input).is_file():
        output = options.output or files[0].with_name(files[0].stem + suffix)
        if output.is_dir():
            output = output / (files[0].stem + suffix)
        check_output_path(output)
        return [output]
    folder = options.output or files[0].parent / f"{task}_{options.direction}"
    if folder.suffix.lower() in SUFFIXES:
        raise GantoolError(f"--output {folder} names a file but --input gives {len(files)} "
                           "images; pass a directory")
    if not folder.parent.is_dir():
        raise GantoolError(f"output directory {folder.parent} does not exist; create it")
    return [folder / (p.stem + suffix) for p in files]


def run_files(task: str, options: TranslationRun) -> list[Path]:
    files = input_files(options.input)
    outputs = outputs_for(files, options, task)
    model = load_model(task, options.weights)
    translator = model.translator(options.direction)
    images = [conform(read_image(p), translator.channels_in, options.convert, p) for p in files]
    if task == "pix2pix":
        keep_dropout(translator.generator)
    torch.manual_seed(SEED)
    outputs[0].parent.mkdir(exist_ok=True)
    for image, output in zip(images, outputs, strict=True):
        save_image(translate(translator, image[None], model.multiple)[0], output)
    return outputs
