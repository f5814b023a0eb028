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
from gantool.run import Format, Output, Run
from gantool_superres.config import SuperResRun
from gantool_superres.engines import Forward, load_forward, self_ensemble
from gantool_superres.images import OUTPUT_SUFFIXES, canvas, finish, save_image, split, to_tile
from gantool_superres.plugin import TASK
from gantool_superres.tiling import tiles, upscaled_tiles
from gantool_superres.weights import resolve

Upscaler = tuple[Forward, int]
"""The generator's forward and the tiling overlap it needs."""


def load(weights: Path, options: SuperResRun) -> Upscaler:
    forward, pad = load_forward(weights, options.scale, options.engine, options.precision,
                                options.threads)
    return (self_ensemble(forward) if options.self_ensemble else forward), pad


def upscale(model: Upscaler, source: Path, options: SuperResRun) -> Image.Image:
    """One file upscaled tile by tile into an image in its own mode: only the decoded input
    and the output image are ever whole in memory."""
    forward, pad = model
    rgb, planes = split(open_image(source, options.max_pixels))
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
