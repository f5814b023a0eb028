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
from gantool.files import input_files
from gantool.outputs import each_input, plan_outputs
from gantool_translation.config import TranslationRun
from gantool_translation.images import (
    from_unit,
    pad_to,
    read_tensor,
    save_image,
    set_channels,
    to_unit,
)
from gantool_translation.translators import (
    CYCLEGAN,
    CYCLEGAN_WEIGHTS,
    PIX2PIX,
    PIX2PIX_WEIGHTS,
    Translator,
    load_cyclegan,
    load_pix2pix,
)

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


def plan(options: TranslationRun, task: str, weights: Path) -> tuple[list[Path], list[Path]]:
    """The inputs and one PNG for each: beside a single input as NAME_<task>_<direction>.png,
    else in a folder <task>_<direction>/ beside them, or in --output. Checked before any work:
    no output may be an input or the weights, nor replace a file without --overwrite."""
    files = input_files(options.input)
    tag = f"{task}_{options.direction}"
    outputs = plan_outputs(files, single=len(files) == 1 and Path(options.input).is_file(),
                           output=options.output, name="{stem}_" + tag + ".png", folder=tag,
                           overwrite=options.overwrite, protected=[weights])
    return files, outputs


def translate_files(files: list[Path], outputs: list[Path], translator: Translator,
                    multiple: int, options: TranslationRun) -> list[Path]:
    """Each file translated in turn: a bad one is reported and skipped, the others written."""
    targets = dict(zip(files, outputs, strict=True))

    def one(path: Path) -> Path:
        image = conform(read_tensor(path, options.max_pixels), translator.channels_in,
                        options.convert, path)
        save_image(translate(translator, image[None], multiple)[0], targets[path])
        return targets[path]

    torch.manual_seed(SEED)
    outputs[0].parent.mkdir(exist_ok=True)
    return each_input(files, one)


def run_pix2pix(options: TranslationRun) -> list[Path]:
    weights = options.weights or PIX2PIX_WEIGHTS
    files, outputs = plan(options, PIX2PIX, weights)
    model = load_pix2pix(weights)
    translator = model.translator(options.direction)
    keep_dropout(translator.generator)
    return translate_files(files, outputs, translator, model.multiple, options)


def run_cyclegan(options: TranslationRun) -> list[Path]:
    weights = options.weights or CYCLEGAN_WEIGHTS
    files, outputs = plan(options, CYCLEGAN, weights)
    model = load_cyclegan(weights)
    return translate_files(files, outputs, model.translator(options.direction), model.multiple,
                           options)
