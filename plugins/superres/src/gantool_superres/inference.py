"""`gantool run superres`: expand the inputs, plan every output, upscale, write atomically.

Only numpy, PIL and the engine are imported here (torch only when the engine is torch), to
keep the start-up of a one-image command short.
"""

from __future__ import annotations

from pathlib import Path

from gantool.errors import GantoolError
from gantool.files import input_files
from gantool.images import open_image
from gantool.outputs import each_input, plan_outputs
from gantool.progress import tracked
from gantool_superres.config import SuperResRun
from gantool_superres.engines import Forward, load_forward, self_ensemble
from gantool_superres.images import canvas, finish, save_png, split, to_tile
from gantool_superres.tiling import tiles, upscaled_tiles
from gantool_superres.weights import resolve


def output_paths(inputs: list[Path], options: SuperResRun, weights: Path) -> list[Path]:
    """Where each input's upscale goes (`NAME_x4.png` beside it, or in --output), checked
    before any work: never an input or the weights, never an existing file without
    --overwrite, and always a PNG."""
    single = Path(options.input).is_file()
    targets = plan_outputs(inputs, single=single, output=options.output,
                           name=f"{{stem}}_x{options.scale}.png", folder=".",
                           overwrite=options.overwrite, protected=[weights])
    if single and targets[0].suffix.lower() != ".png":
        raise GantoolError(f"--output {targets[0]}: results are written as PNG; name it .png")
    return targets


def upscale_file(forward: Forward, source: Path, target: Path,
                 options: SuperResRun, pad: int) -> Path:
    """Upscale one file tile by tile into an image in its own mode, then write it atomically.

    Only the decoded input and the output image are ever whole in memory.
    """
    rgb, planes = split(open_image(source, options.max_pixels))
    scale = options.scale
    result = canvas(planes, rgb.shape[1] * scale, rgb.shape[0] * scale)
    count = sum(1 for _ in tiles(*rgb.shape[:2], options.tile, pad))
    for top, left, core in tracked(upscaled_tiles(forward, rgb, scale, options.tile, pad),
                                   count, f"{source.name}: tiles"):
        result.paste(to_tile(core, planes), (left, top))
    del rgb
    save_png(finish(result, planes), target)
    return target


def run_files(options: SuperResRun) -> list[Path]:
    """Every input upscaled; in a folder, a bad file is reported and the others still are."""
    inputs = input_files(options.input,
                         skip=lambda p: p.stem.endswith(f"_x{options.scale}"))
    weights = resolve(options.weights, options.model)
    targets = dict(zip(inputs, output_paths(inputs, options, weights), strict=True))
    forward, pad = load_forward(weights, options.scale, options.engine, options.precision,
                                options.threads)
    if options.self_ensemble:
        forward = self_ensemble(forward)
    targets[inputs[0]].parent.mkdir(exist_ok=True)
    return each_input(inputs, lambda source: upscale_file(forward, source, targets[source],
                                                          options, pad))
