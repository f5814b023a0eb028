"""`gantool run superres`: each image upscaled tile by tile, in the mode it came in
(`gantool.run` lists, plans, checks and writes: `NAME_x4.png` beside it, or in --output).

Only numpy, PIL and the engine are imported here (torch only when the engine is torch), to
keep the start-up of a one-image command short.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from gantool.images import open_image
from gantool.progress import tracked
from gantool.run import Format, Output, Run, notice
from gantool_superres.config import SuperResRun
from gantool_superres.engines import (
    SMALL_JOB_PIXELS,
    Forward,
    chosen_precision,
    load_forward,
    self_ensemble,
)
from gantool_superres.images import OUTPUT_SUFFIXES, canvas, finish, save_image, split, to_tile
from gantool_superres.plugin import TASK
from gantool_superres.tiling import tiles, upscaled_tiles
from gantool_superres.weights import LOSSY_FORMATS, SHIPPED, jpeg_quality, model_for, resolve

Upscaler = tuple[Forward, int]
"""The generator's forward and the tiling overlap it needs."""


class Upscalers:
    """The forward each input needs, each (weights, precision) loaded once, on first use.

    The weights are the ones given, else the shipped model the input's file calls for
    (`model_for` its format). Under `--precision auto` on CPUs with native bf16 the precision
    follows the job's size: int8 on ONNX Runtime while the inputs so far add up to a small job,
    bf16 on torch from the input that makes it large (rent until renting would cost what buying
    does: such a job takes at most about twice its best time, and a one-photo job its best).
    """

    def __init__(self, weights: Path | None, options: SuperResRun) -> None:
        self.weights, self.options = weights, options
        self.loaded: dict[tuple[Path, str], Upscaler] = {}
        self.pixels = 0  # input pixels seen so far

    def __call__(self, source: Path, image: Image.Image) -> Upscaler:
        weights = self.weights if self.weights is not None else self.shipped_for(source, image)
        self.pixels += image.width * image.height
        small_job = (self.pixels <= SMALL_JOB_PIXELS
                     and not any(precision == "bf16" for _, precision in self.loaded))
        precision = chosen_precision(weights, self.options.precision, self.options.engine,
                                     small_job)
        if (weights, precision) not in self.loaded:
            forward, pad = load_forward(weights, self.options.scale, self.options.engine,
                                        precision, self.options.threads)
            self.loaded[weights, precision] = (
                self_ensemble(forward) if self.options.self_ensemble else forward), pad
        return self.loaded[weights, precision]

    def shipped_for(self, source: Path, image: Image.Image) -> Path:
        quality = jpeg_quality(getattr(image, "quantization", None))
        name = model_for(image.format, quality)
        kind = (f"a {image.format} file of quality {quality}" if quality is not None else
                f"a {'lossy' if image.format in LOSSY_FORMATS else 'lossless'} "
                f"{image.format or 'image'} file")
        notice(f"{source}: model {name} ({kind}; --model chooses another)")
        return SHIPPED[name]


def load(weights: Path, options: SuperResRun) -> Upscalers:
    """Given weights or a named model: that one; else the model each input needs."""
    given = options.weights is not None or options.model is not None
    return Upscalers(weights if given else None, options)


def upscale(model: Upscalers, source: Path, options: SuperResRun) -> Image.Image:
    """One file upscaled tile by tile into an image in its own mode: only the decoded input
    and the output image are ever whole in memory."""
    image = open_image(source, options.max_pixels)
    forward, pad = model(source, image)
    if image.mode == "CMYK":  # print files: PNG, WebP and the network have no CMYK
        notice(f"{source}: CMYK colours, converted to RGB; the upscale is RGB")
    rgb, planes = split(image)
    scale = options.scale
    result = canvas(planes, rgb.shape[1] * scale, rgb.shape[0] * scale)
    count = sum(1 for _ in tiles(*rgb.shape[:2], options.tile, pad))
    for top, left, core in tracked(upscaled_tiles(forward, rgb, scale, options.tile, pad),
                                   count, f"{source.name}: tiles"):
        result.paste(to_tile(core, planes), (left, top))
    return finish(result, planes)


run_files = Run(TASK, upscale, outputs=(Output("upscale", "{stem}_x{scale}.{format}",
                                               Format("PNG, JPEG or WebP", OUTPUT_SUFFIXES,
                                                      save_image)),),
                load=load, shipped=lambda options: resolve(None, options.model))
