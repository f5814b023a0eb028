"""`gantool run superres`: expand the inputs, check every path, upscale, write atomically.

Only numpy, PIL and the engine are imported here (torch only when the engine is torch), to
keep the start-up of a one-image command short.
"""

from __future__ import annotations

from pathlib import Path

from gantool.errors import GantoolError
from gantool.files import check_output_path, input_files
from gantool.progress import tracked
from gantool_superres.config import SuperResRun
from gantool_superres.engines import Forward, load_forward, self_ensemble
from gantool_superres.images import (
    canvas,
    finish,
    open_image,
    save_png,
    split,
    to_tile,
)
from gantool_superres.tiling import tiles, upscaled_tiles
from gantool_superres.weights import resolve


def output_paths(inputs: list[Path], output: Path | None, scale: int) -> list[Path]:
    """Where each input's upscale goes; refuses missing folders and overwriting an input."""
    names = [p.with_name(f"{p.stem}_x{scale}.png").name for p in inputs]
    if output is None:
        targets = [p.with_name(n) for p, n in zip(inputs, names, strict=True)]
    elif output.is_dir():
        targets = [output / n for n in names]
    elif len(inputs) > 1:
        raise GantoolError(f"--output {output} must be an existing directory for "
                           f"{len(inputs)} inputs")
    else:
        if output.suffix.lower() != ".png":
            raise GantoolError(f"--output {output}: results are written as PNG; name it .png")
        targets = [output]
    for source, target in zip(inputs, targets, strict=True):
        check_output_path(target)
        if target.resolve() == source.resolve():
            raise GantoolError(f"refusing to overwrite the input {source}; choose --output")
    return targets


def upscale_file(forward: Forward, source: Path, target: Path,
                 options: SuperResRun, pad: int) -> None:
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


def run_files(options: SuperResRun) -> list[Path]:
    if options.tile < 0 or options.max_pixels < 0 or options.threads < 0:
        raise GantoolError("--tile, --max-pixels and --threads must be >= 0")
    inputs = input_files(options.input,
                         skip=lambda p: p.stem.endswith(f"_x{options.scale}"))
    targets = output_paths(inputs, options.output, options.scale)
    forward, pad = load_forward(resolve(options.weights, options.model), options.scale,
                                options.engine, options.precision, options.threads)
    if options.self_ensemble:
        forward = self_ensemble(forward)
    for source, target in zip(inputs, targets, strict=True):
        upscale_file(forward, source, target, options, pad)
    return targets
