"""`gantool eval pix2pix|cyclegan` on held-out images.

pix2pix: L1, PSNR and SSIM of each output against its ground truth (fidelity), KID between
outputs and real targets (realism: a blurry output can score well on L1 and badly on KID), and
how well the outputs' colour distribution matches the targets' (an L1-only model's colours are
greyish: the pix2pix paper's histogram-intersection measure), and the checkerboard artefact
of its up-sampling layers beside the real targets' own score.
CycleGAN: KID between translated A and real B next to KID between untranslated A and real B
(the distance the model has to close), the same for B -> A, the cycle reconstruction error and
the translated images' checkerboard score.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import Tensor

from gantool.errors import GantoolError
from gantool.image_tensors import set_channels
from gantool.metrics import (
    CHECKERBOARD_MIN_SIDE,
    checkerboard_db,
    extract_features,
    kid,
    lab_histogram_intersection,
    psnr,
    ssim,
)
from gantool.report import Table
from gantool_translation.config import CycleGANEval, Pix2PixEval
from gantool_translation.data import domain_folders, load_domain, load_pairs
from gantool_translation.features import get_extractor
from gantool_translation.inference import keep_dropout, translate
from gantool_translation.translators import Model, Translator, load_cyclegan, load_pix2pix

KID_SUBSET = 100


def kid_between(extractor, x: Tensor, y: Tensor, seed: int) -> float:
    """KID x 1000 (the usual scale) between two image sets in [0, 1]."""
    fx, fy = extract_features(extractor, x), extract_features(extractor, y)
    return 1000.0 * kid(fx, fy, subset_size=KID_SUBSET, seed=seed)[0]


def _check_channels(images: Tensor, channels: int, what: str, path: Path) -> None:
    if images.shape[1] != channels:
        raise GantoolError(f"{what} images are {images.shape[1]}-channel but the model {path} "
                           f"takes {channels}; evaluate on the kind of data it was trained on")


def _size(model: Model) -> int:
    return model.config.image_size


def pix2pix_scores(translator: Translator, multiple: int, source: Tensor, target: Tensor,
                   extractor, seed: int) -> dict[str, float | None]:
    """L1, PSNR, SSIM and KID of translated `source` against `target` (uint8 tensors), with
    pix2pix's dropout noise on (seeded)."""
    keep_dropout(translator.generator)
    torch.manual_seed(seed)
    output = torch.cat([translate(translator, x, multiple) for x in source.split(64)])
    return paired_scores(output, target.float() / 255, extractor, seed)


def label_agreement(output: Tensor, truth: Tensor, colours: Tensor) -> dict[str, float]:
    """How well generated label maps match the true ones (both N x 3 x H x W in [0, 1]), each
    pixel read as the class of its nearest colour (`colours`, K x 3 in 0-255): the FCN-score
    triplet of the pix2pix and CycleGAN papers, per-pixel accuracy, mean per-class accuracy
    and mean class IoU, over the classes the truth holds."""
    count = len(colours)
    confusion = torch.zeros(count * count)
    for made, true in zip(output, truth, strict=True):
        made_class, true_class = (nearest_colour(x, colours) for x in (made, true))
        confusion += torch.bincount(true_class * count + made_class, minlength=count * count)
    confusion = confusion.reshape(count, count)
    hits, true_total, made_total = confusion.diag(), confusion.sum(1), confusion.sum(0)
    present = true_total > 0
    return {"pixel_acc": float(hits.sum() / confusion.sum()),
            "class_acc": float((hits / true_total)[present].mean()),
            "class_iou": float((hits / (true_total + made_total - hits))[present].mean())}


def nearest_colour(image: Tensor, colours: Tensor) -> Tensor:
    """Each pixel's nearest colour (its index in `colours`), flattened: a label map's classes."""
    pixels = image.permute(1, 2, 0).reshape(-1, 1, 3) * 255
    return ((pixels - colours.float()) ** 2).sum(-1).argmin(-1)


def checkerboard(images: Tensor) -> float | None:
    """The outputs' checkerboard peak in dB; None for images too small to score."""
    return checkerboard_db(images) if min(images.shape[-2:]) >= CHECKERBOARD_MIN_SIDE else None


def paired_scores(output: Tensor, truth: Tensor, extractor, seed: int
                  ) -> dict[str, float | None]:
    """Fidelity (L1, PSNR, SSIM), realism (KID), colour match (Lab histogram intersection per
    channel) and checkerboard artefacts of outputs against their ground truths, both in
    [0, 1]."""
    colours = lab_histogram_intersection(output, truth)
    return {"l1": float((output - truth).abs().mean()), "psnr": psnr(output, truth),
            "ssim": ssim(output, truth), "kid": kid_between(extractor, truth, output, seed),
            "colour_a": colours["a"], "colour_b": colours["b"],
            "checkerboard": checkerboard(output), "checkerboard_truth": checkerboard(truth)}


def evaluate_pix2pix(options: Pix2PixEval) -> list[Table]:
    model = load_pix2pix(options.weights)
    config = model.config
    (direction, translator), = model.directions.items()
    pairs = load_pairs(options.data or config.data, "test", _size(model))
    source, target = (pairs.b, pairs.a) if direction == "BtoA" else (pairs.a, pairs.b)
    _check_channels(source, translator.channels_in, "input", model.path)
    extractor = get_extractor(options.extractor, options.inception_weights)
    scores = pix2pix_scores(translator, model.multiple, source, target, extractor, options.seed)
    table = Table(f"pix2pix ({config.loss}) on {len(source)} held-out pairs of {pairs.folder}",
                  ["model", "L1", "PSNR (dB)", "SSIM", f"KID x1000 ({extractor.name})",
                   "colour match a*", "colour match b*", "checkerboard dB"],
                  [[str(model.path), scores["l1"], scores["psnr"], scores["ssim"],
                    scores["kid"], scores["colour_a"], scores["colour_b"],
                    _shown(scores["checkerboard"])]],
                  notes=["L1 in [0, 1] units, PSNR and SSIM on all channels; KID between "
                         "outputs and real targets (lower is more realistic); colour match: "
                         "intersection of the outputs' and the targets' CIE Lab a*/b* "
                         "histograms (1 = the same colour distribution); checkerboard: the "
                         "spectral peak of period-2 and -4 grid artefacts over its surroundings "
                         f"(0 dB: no peak; the real targets: "
                         f"{_shown(scores['checkerboard_truth'])} dB; – under "
                         f"{CHECKERBOARD_MIN_SIDE} px)."])
    return [table]


def _shown(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def evaluate_cyclegan(options: CycleGANEval) -> list[Table]:
    model = load_cyclegan(options.weights)
    root = Path(options.data or model.config.data)
    folder_a, folder_b = domain_folders(root, "test")
    a, b = load_domain(folder_a, _size(model)), load_domain(folder_b, _size(model))
    forward, backward = model.directions["AtoB"], model.directions["BtoA"]
    _check_channels(a, forward.channels_in, "A", model.path)
    _check_channels(b, backward.channels_in, "B", model.path)
    extractor = get_extractor(options.extractor, options.inception_weights)
    scores = cyclegan_scores(model, a, b, extractor, options.seed)
    rows = [["A -> B", scores["kid_ab_before"], scores["kid_ab"], scores["cycle_a"],
             f"{_shown(scores['checker_ab'])} ({_shown(scores['checker_b'])})"],
            ["B -> A", scores["kid_ba_before"], scores["kid_ba"], scores["cycle_b"],
             f"{_shown(scores['checker_ba'])} ({_shown(scores['checker_a'])})"]]
    return [Table(f"CycleGAN on {len(a)} + {len(b)} held-out images of {root}",
                  ["direction", f"KID x1000 untranslated ({extractor.name})",
                   "KID x1000 translated", "cycle L1", "checkerboard dB (real targets)"], rows,
                  notes=["KID against the real images of the target domain (lower is closer); "
                         "'untranslated' feeds the inputs unchanged (the baseline); cycle L1: "
                         "mean |x - F(G(x))| in [0, 1] units; checkerboard: the spectral peak "
                         "of period-2 and -4 grid artefacts in the translated images over its "
                         "surroundings, the target domain's real images in brackets (0 dB: no "
                         f"peak; – under {CHECKERBOARD_MIN_SIDE} px)."])]


def _quantise(images: Tensor) -> Tensor:
    """[0, 1] floats to the uint8 images an output file would hold."""
    return (images * 255).round().to(torch.uint8)


def cyclegan_scores(model: Model, a: Tensor, b: Tensor, extractor, seed: int
                    ) -> dict[str, float | None]:
    """KID before and after translation in both directions, both cycle errors, and the
    checkerboard scores of the translated and the real images."""
    forward, backward = model.directions["AtoB"], model.directions["BtoA"]
    m = model.multiple

    def run(translator: Translator, x: Tensor) -> Tensor:
        return torch.cat([translate(translator, part, m) for part in x.split(64)])

    fake_b, fake_a = run(forward, a), run(backward, b)
    rec_a, rec_b = run(backward, _quantise(fake_b)), run(forward, _quantise(fake_a))
    real_a, real_b = a.float() / 255, b.float() / 255
    return {
        "kid_ab_before": kid_between(extractor, real_b, set_channels(real_a, b.shape[1]), seed),
        "kid_ab": kid_between(extractor, real_b, fake_b, seed),
        "kid_ba_before": kid_between(extractor, real_a, set_channels(real_b, a.shape[1]), seed),
        "kid_ba": kid_between(extractor, real_a, fake_a, seed),
        "cycle_a": float((rec_a - real_a).abs().mean()),
        "cycle_b": float((rec_b - real_b).abs().mean()),
        "checker_ab": checkerboard(fake_b), "checker_b": checkerboard(real_b),
        "checker_ba": checkerboard(fake_a), "checker_a": checkerboard(real_a),
    }
