"""`gantool eval superres`: bicubic, the PSNR model and the GAN model side by side."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torch import Tensor

from gantool.errors import GantoolError
from gantool.images import image_files
from gantool.report import Table
from gantool_superres.config import SuperResEval
from gantool_superres.engines import Forward, load_forward, self_ensemble
from gantool_superres.images import read_rgb
from gantool_superres.metrics import compare
from gantool_superres.resample import bicubic_upscale, downscale
from gantool_superres.tiling import upscale_array
from gantool_superres.weights import check_weights, resolve

BICUBIC, SHARP_BICUBIC = "bicubic", "bicubic, sharper (a = -0.75)"
PSNR_MODEL, GAN_MODEL = "srresnet (PSNR model)", "srgan (GAN model)"
PSNR_ENSEMBLE = "srresnet + self-ensemble (x8)"
REAL_MODEL = "real-input model"
PSNR_INT8 = "srresnet, int8 (ONNX Runtime)"
COLUMNS = ["method", "PSNR-Y (dB)", "SSIM-Y", "HF energy (% of truth)", "texture gap (pp)"]


def upscaled(forward: Forward, lr: Tensor, scale: int, tile: int, pad: int) -> Tensor:
    """The model's 8-bit output, produced exactly as `gantool run` produces it."""
    out = upscale_array(forward, lr[0].permute(1, 2, 0).contiguous().numpy(), scale, tile, pad)
    return torch.from_numpy(out).permute(2, 0, 1)[None].float() / 255


def _shown(path: Path) -> Path:
    """`path` relative to the working directory when it lies inside it (shorter, shareable)."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


def saved_as_jpeg(lr: Tensor, quality: int) -> Tensor:
    """1 x 3 x H x W in [0, 1] written as a JPEG file of `quality` by PIL and read back."""
    buffer = io.BytesIO()
    pixels = (lr[0] * 255).round().clamp(0, 255).to(torch.uint8).permute(1, 2, 0).numpy()
    Image.fromarray(pixels).save(buffer, format="JPEG", quality=quality)
    buffer.seek(0)
    with Image.open(buffer) as image:
        array = np.asarray(image.convert("RGB"))
    return torch.from_numpy(array.copy()).permute(2, 0, 1)[None].float() / 255


def calibrated(weights: Path, options: SuperResEval) -> None:
    """Measure the int8 activation ranges of `weights` on crops of the training photos."""
    from gantool_superres.int8 import calibrate, training_crops

    crops = training_crops(options.int8_calibration, options.scale)
    written = calibrate(weights, check_weights(weights, options.scale), crops)
    print(f"notice: wrote the int8 activation ranges of {weights.name}, measured on "
          f"{len(crops)} crops of {options.int8_calibration}, to {written}", file=sys.stderr)


Scores = dict[str, dict[str, float]]  # method -> mean psnr, ssim, hf_ratio over the images


def measure(options: SuperResEval) -> tuple[Scores, dict[str, Path], int]:
    """Unrounded mean scores of every method, the weights files used, and the image count."""
    files = image_files(options.data)[:options.limit or None]
    if not files:
        raise GantoolError(f"no images in {options.data}")
    scale = options.scale
    paths = {PSNR_MODEL: resolve(options.psnr_weights, "srresnet"),
             GAN_MODEL: resolve(options.gan_weights, "srgan"),
             **({REAL_MODEL: options.real_weights} if options.real_weights else {})}
    if options.int8_calibration:
        calibrated(paths[PSNR_MODEL], options)
    forwards = {name: load_forward(path, scale, options.engine, options.precision)
                for name, path in paths.items()}
    if options.int8_calibration:
        forwards[PSNR_INT8] = load_forward(paths[PSNR_MODEL], scale, "onnxruntime", "int8")
    if options.self_ensemble:
        forward, pad = forwards[PSNR_MODEL]
        forwards[PSNR_ENSEMBLE] = (self_ensemble(forward), pad)
    scores: dict[str, list[dict[str, float]]] = {BICUBIC: [], SHARP_BICUBIC: [],
                                                  **{n: [] for n in forwards}}
    for path in files:
        truth = read_rgb(path).float()[None] / 255
        h, w = (s // scale * scale for s in truth.shape[-2:])
        truth = truth[..., :h, :w]
        lr = downscale(truth, scale)
        if options.jpeg_quality:
            lr = saved_as_jpeg(lr, options.jpeg_quality)
        scores[BICUBIC].append(compare(bicubic_upscale(lr, scale), truth, scale))
        scores[SHARP_BICUBIC].append(compare(bicubic_upscale(lr, scale, sharp=True), truth,
                                             scale))
        for name, (forward, pad) in forwards.items():
            scores[name].append(compare(upscaled(forward, lr, scale, options.tile, pad), truth,
                                        scale))
    means = {name: {k: sum(s[k] for s in per_image) / len(per_image) for k in per_image[0]}
             for name, per_image in scores.items()}
    return means, paths, len(files)


def table(options: SuperResEval, means: Scores, paths: dict[str, Path], count: int) -> Table:
    """The scores rounded for reading; targets are judged on the unrounded `means`."""
    rows = []
    for name, mean in means.items():
        hf = 100 * mean["hf_ratio"]
        rows.append([name, round(mean["psnr"], 2), round(mean["ssim"], 4), round(hf, 1),
                     round(abs(100 - hf), 1)])
    scale = options.scale
    notes = [
        f"{count} images from {options.data}; x{scale}; inputs made by antialiased bicubic "
        "downsampling, in 8 bits"
        + (f", saved as JPEG of quality {options.jpeg_quality} (PIL)" if options.jpeg_quality
           else "")
        + f"; Y channel (BT.601), {scale}-pixel border cropped, outputs in 8 bits.",
        "bicubic: Keys' cubic (a = -0.5) as in MATLAB's imresize and PIL, the baseline SR papers "
        "report; the sharper a = -0.75 kernel (torch's default) is shown as a second baseline.",
        "HF energy: spectral energy above the input's Nyquist frequency, output / ground truth "
        "(100 = as much fine texture as the truth); texture gap = |100 - HF energy|.",
        *(f"{name}: {_shown(path)}" for name, path in paths.items()),
    ]
    return Table(f"Super-resolution x{scale} on {options.data}", COLUMNS, rows, notes)


def evaluate(options: SuperResEval) -> list[Table]:
    return [table(options, *measure(options))]
