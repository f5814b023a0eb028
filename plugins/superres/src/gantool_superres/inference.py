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
from gantool_superres.engines import Forward, load_forward, self_ensemble
from gantool_superres.images import OUTPUT_SUFFIXES, canvas, finish, save_image, split, to_tile
from gantool_superres.plugin import TASK
from gantool_superres.tiling import tiles, upscaled_tiles
from gantool_superres.weights import LOSSY_FORMATS, SHIPPED, jpeg_quality, model_for, resolve

Upscaler = tuple[Forward, int]
"""The generator's forward and the tiling overlap it needs."""


def load_one(weights: Path, options: SuperResRun) -> Upscaler:
    forward, pad = load_forward(weights, options.scale, options.engine, options.precision,
                                options.threads)
    return (self_ensemble(forward) if options.self_ensemble else forward), pad


class ByInput:
    """The shipped model each input needs (`model_for` its file format), each loaded once, on
    first use, and named for each input."""

    def __init__(self, options: SuperResRun) -> None:
        self.options, self.loaded = options, {}

    def __call__(self, source: Path, image: Image.Image) -> Upscaler:
        quality = jpeg_quality(getattr(image, "quantization", None))
        name = model_for(image.format, quality)
        kind = (f"a {image.format} file of quality {quality}" if quality is not None else
                f"a {'lossy' if image.format in LOSSY_FORMATS else 'lossless'} "
                f"{image.format or 'image'} file")
        notice(f"{source}: model {name} ({kind}; --model chooses another)")
        if name not in self.loaded:
            self.loaded[name] = load_one(SHIPPED[name], self.options)
        return self.loaded[name]


def load(weights: Path, options: SuperResRun) -> Upscaler | ByInput:
    """Given weights or a named model: that one; else the model each input needs."""
    if options.weights is None and options.model is None:
        return ByInput(options)
    return load_one(weights, options)


def upscale(model: Upscaler | ByInput, source: Path, options: SuperResRun) -> Image.Image:
    """One file upscaled tile by tile into an image in its own mode: only the decoded input
    and the output image are ever whole in memory."""
    image = open_image(source, options.max_pixels)
    forward, pad = model(source, image) if isinstance(model, ByInput) else model
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
