"""Options of the super-resolution task (no torch import: `--help` is built from these)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from gantool.config import RunOptions, TrainerConfig, config, objectives, option

ModelName = Literal["srgan", "srresnet", "srresnet-real"]
Upsampler = Literal["single", "progressive"]
Degradation = Literal["bicubic", "jpeg", "real"]
Engine = Literal["auto", "onnxruntime", "torch"]
Precision = Literal["auto", "fp32", "bf16", "int8"]
ENGINE_HELP = ("what runs the network: auto = torch where bf16 is used, else ONNX Runtime "
               "(starts seconds sooner; its graph is written once per weights file, into "
               "the cache)")
SELF_ENSEMBLE_HELP = "self-ensemble: the mean over 8 flips/rotations (slightly better, 8x slower)"
SCALE_HELP = "upscaling factor (2, 4 or 8)"
TILE_HELP = "tile size in input pixels (0 = whole image at once)"


@config(batch_size=8, ema_decay=0.995, checkpoint_every=200, log_every=20,
        gpu={"batch_size": 32, "num_workers": 4, "checkpoint_every": 1000})
class SuperResConfig(TrainerConfig):
    data: Path = option(help="folder of high-resolution training images")
    val_data: Path | None = option(None, "folder of held-out images for PSNR during training")
    scale: int = option(4, SCALE_HELP, min=2, max=8, architecture=True)
    blocks: int = option(16, "generator residual blocks", min=0, architecture=True)
    channels: int = option(64, "generator feature channels", min=1, architecture=True)
    residual: bool = option(True, "add the bicubic upscale to the output (learn only detail)",
                            architecture=True)
    upsampler: Upsampler = option(
        "single", "generator tail: single (one conv and x4 shuffle at low resolution, cheap) or "
        "progressive (SRGAN's x2 stages)", architecture=True)
    d_channels: int = option(32, "discriminator channels in its first layer", min=1,
                             architecture=True)
    patch: int = option(48, "low-resolution training patch size (the HR crop is patch*scale)",
                        min=1)
    crops_per_image: int = option(1000, "random crops drawn from each image per data pass",
                                  min=1)
    hr_scales: tuple[float, ...] = option(
        (1.0,), "also train on each photo downscaled by these factors (e.g. 1,0.75,0.5: cleaner "
        "targets from JPEG photos, more scene scales)")
    degradation: Degradation = option(
        "bicubic", "how training inputs are made from the crops: bicubic (a clean downscale), "
        "jpeg (that downscale saved as JPEG at a quality of 30-95, drawn per crop) or real "
        "(blur, any resampling, noise and JPEG, as Real-ESRGAN)")
    pretrain_steps: int = option(2000, "stage 1: pixel-loss steps (the SRResNet / PSNR model)",
                                 resumable=True, min=0)
    adversarial_steps: int = option(1000, "stage 2: adversarial steps (the SRGAN model)",
                                    resumable=True, min=0)
    pixel_loss: Literal["l1", "mse"] = option("l1", "pixel loss")
    lr_g: float = option(3e-4, "generator learning rate in stage 1", above=0)
    lr_gan: float = option(1e-4, "generator learning rate in stage 2", above=0)
    lr_d: float = option(2e-4, "discriminator learning rate", above=0)
    objective: str = option("relativistic-average", "adversarial objective (any registered "
                            "name)", choices=objectives)
    spectral_norm: bool = option(True, "spectral normalisation on the discriminator")
    content: Literal["auto", "vgg", "features"] = option(
        "auto", "stage-2 content loss: VGG19 features, discriminator features, or auto "
        "(VGG19 when its weights are found locally)")
    vgg_weights: Path | None = option(None, "torchvision VGG19 state dict (.pth)")
    pixel_weight: float = option(0.1, "stage 2: weight of the pixel loss", min=0)
    content_weight: float = option(1.0, "stage 2: weight of the content loss", min=0)
    adversarial_weight: float = option(5e-3, "stage 2: weight of the adversarial loss", min=0)


@dataclass(kw_only=True)
class SuperResRun(RunOptions):
    model: ModelName | None = option(None, "shipped model (default: srresnet-real for JPEG "
                                           "and WebP inputs, srresnet for the others; the "
                                           "choice is printed)")
    scale: int = option(4, "upscaling factor the weights must have", min=2, max=8)
    tile: int = option(256, TILE_HELP, min=0)
    max_pixels: int = option(40_000_000, "refuse inputs with more pixels than this (0 = no "
                                         "limit)", min=0)
    precision: Precision = option(
        "auto", "arithmetic: auto = bf16 on CPUs with native bf16 (AMX, AVX512-BF16) except "
                "int8 for jobs under 0.5 megapixels of input, where it finishes first; "
                "elsewhere int8 for models shipped with int8 ranges (within 0.1 dB of fp32), "
                "else fp32")
    engine: Engine = option("auto", ENGINE_HELP)
    threads: int = option(0, "CPU threads (0 = the engine's default: one per core)", min=0)
    self_ensemble: bool = option(False, SELF_ENSEMBLE_HELP)
    format: Literal["png", "jpg", "webp"] = option(
        "png", "file format of the outputs (a named --output file's suffix decides instead): "
               "png (lossless), jpg or webp (quality 95; a 192-megapixel upscale of a phone "
               "photo writes many times faster)")


@dataclass(kw_only=True)
class SuperResEval:
    data: Path = option(help="folder of high-resolution ground-truth images")
    psnr_weights: Path | None = option(None, "PSNR model (default: the shipped srresnet)")
    gan_weights: Path | None = option(None, "GAN model (default: the shipped srgan)")
    scale: int = option(4, SCALE_HELP, min=2, max=8)
    limit: int = option(0, "evaluate only the first N images (0 = all)", min=0)
    tile: int = option(256, TILE_HELP, min=0)
    precision: Precision = option("auto", "arithmetic, as for `run`")
    engine: Engine = option("auto", ENGINE_HELP)
    self_ensemble: bool = option(False, "also score the PSNR model with " + SELF_ENSEMBLE_HELP)
    real_weights: Path | None = option(None, "a model trained with --degradation real, scored "
                                             "beside the others")
    int8_calibration: Path | None = option(
        None, "folder of training photos: measure the PSNR model's int8 activation ranges on "
              "crops of them and write them beside its weights (NAME.int8.json), for "
              "--precision int8")
    jpeg_quality: int | None = option(None, "save each low-resolution input as a JPEG file of "
                                            "this quality (1-100) before upscaling, as the "
                                            "photos people upscale were", min=1, max=100)
