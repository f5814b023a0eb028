"""Image translation: the pix2pix loss ablation and CycleGAN with and without cycle loss.

Builds `grey2colour` (paired) and `dark2bright` (unpaired) from the photographs with the
plugin's recipes (or reuses them with --data), then in the same run, per seed:
- pix2pix with L1 only, cGAN only and L1 + cGAN (the ablation of the paper's Table 1), scored
  on the held-out test pairs: L1, PSNR, SSIM to the ground truth and KID to the real colour
  crops, next to the untranslated grey input;
- CycleGAN with and without the cycle loss, scored on held-out crops: KID of translated A to
  real B against the untranslated baseline (and B -> A), and the cycle reconstruction error.
KID is computed in the plugin's offline `random-conv-960` feature space.

Usage: uv run python bench/translation.py [--photos DIR] [--data DIR] [--seeds 0]
           [--pix2pix-steps N] [--cyclegan-steps N]
A fast benchmark only: the shipped models are the facades ones of bench/translation_facades.py
and bench/cyclegan_facades.py. Writes the section `bench:translation` of docs/results.md.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from readme_tables import hardware, write_section

ROOT = Path(__file__).resolve().parents[1]
PHOTOS = ROOT.parent / "shared" / "data" / "photos" / "train"
LOSSES = ("l1", "cgan", "l1+cgan")
CYCLE = {"with cycle loss": 10.0, "without cycle loss": 0.0}


def build_data(root: Path, photos: Path) -> tuple[Path, Path]:
    from gantool_translation.recipes import paired, unpaired

    paired_dir, unpaired_dir = root / "grey2colour", root / "dark2bright"
    if not paired_dir.is_dir():
        paired.build_grey2colour(photos, paired_dir, 0)
    if not unpaired_dir.is_dir():
        unpaired.build(photos, unpaired_dir, 0)
    return paired_dir, unpaired_dir


def train(task: str, build_game, config_class, values: dict, out: Path) -> float:
    """Train one model; its wall time in seconds."""
    from gantool.config import build
    from gantool.train import train as fit

    config = build(config_class, values)
    start = time.perf_counter()
    fit(lambda: build_game(config), config, out, task=task, quiet=True)
    return time.perf_counter() - start


def pix2pix_runs(data: Path, args: argparse.Namespace, tmp: Path) -> list[dict]:
    from gantool.image_tensors import set_channels
    from gantool_translation.config import Pix2PixConfig
    from gantool_translation.data import load_pairs
    from gantool_translation.evaluation import paired_scores, pix2pix_scores
    from gantool_translation.features import RandomConvFeatures
    from gantool_translation.pix2pix import build_game
    from gantool_translation.translators import PIX2PIX, load_pix2pix

    extractor = RandomConvFeatures()
    test = load_pairs(data, "test", 64)
    truth = test.b.float() / 255
    grey = set_channels(test.a, 3).float() / 255
    results = [{"model": "grey input (no translation)", "seed": 0, "seconds": 0.0,
                **paired_scores(grey, truth, extractor, 0)}]
    for seed in args.seeds:
        for loss in LOSSES:
            out = tmp / f"pix2pix-{loss}-{seed}"
            seconds = train(PIX2PIX, build_game, Pix2PixConfig,
                            {"data": data, "loss": loss, "seed": seed, "steps": args.pix2pix_steps,
                             "device": "cpu", "threads": 1, "checkpoint_every": 0}, out)
            model = load_pix2pix(out / "model.safetensors")
            scores = pix2pix_scores(model.directions["AtoB"], model.multiple, test.a, test.b,
                                    extractor, seed)
            results.append({"model": loss, "seed": seed, "seconds": seconds, **scores,
                            "weights": out / "model.safetensors"})
            print(f"pix2pix {loss} seed {seed}: {scores} {seconds:.0f} s", flush=True)
    return results


def cyclegan_runs(data: Path, args: argparse.Namespace, tmp: Path) -> list[dict]:
    from gantool_translation.config import CycleGANConfig
    from gantool_translation.cyclegan import build_game
    from gantool_translation.data import load_domain
    from gantool_translation.evaluation import cyclegan_scores
    from gantool_translation.features import RandomConvFeatures
    from gantool_translation.translators import CYCLEGAN, load_cyclegan

    extractor = RandomConvFeatures()
    a, b = load_domain(data / "testA", 64), load_domain(data / "testB", 64)
    results = []
    for seed in args.seeds:
        for name, weight in CYCLE.items():
            out = tmp / f"cyclegan-{weight:g}-{seed}"
            seconds = train(CYCLEGAN, build_game, CycleGANConfig,
                            {"data": data, "cycle_weight": weight, "seed": seed,
                             "steps": args.cyclegan_steps, "device": "cpu", "threads": 1,
                             "checkpoint_every": 0}, out)
            scores = cyclegan_scores(load_cyclegan(out / "model.safetensors"), a, b, extractor,
                                     seed)
            results.append({"model": name, "seed": seed, "seconds": seconds, **scores,
                            "weights": out / "model.safetensors"})
            print(f"cyclegan {name} seed {seed}: {scores} {seconds:.0f} s", flush=True)
    return results


def mean_std(values: list[float], digits: int) -> str:
    std = statistics.stdev(values) if len(values) > 1 else 0.0
    text = f"{statistics.mean(values):.{digits}f}"
    return text + (f" ± {std:.{digits}f}" if len(values) > 1 else "")


def rows(results: list[dict], names: list[str], keys: list[tuple[str, int]]) -> list[str]:
    lines = []
    for name in names:
        runs = [r for r in results if r["model"] == name]
        lines.append(f"| {name} | " + " | ".join(mean_std([r[k] for r in runs], d)
                                                  for k, d in keys) + " |")
    return lines


def section(p2p: list[dict], cyc: list[dict], args: argparse.Namespace, total: float) -> str:
    seeds = ", ".join(map(str, args.seeds))
    lines = ["**pix2pix, grey -> colour** (128 held-out 64x64 pairs from 16 photographs never "
             "trained on)", "",
             "| model | L1 ↓ | PSNR dB ↑ | SSIM ↑ | KID x1000 ↓ | colour match a* ↑ | "
             "colour match b* ↑ |", "|---|---|---|---|---|---|---|"]
    lines += rows(p2p, ["grey input (no translation)", *LOSSES],
                  [("l1", 4), ("psnr", 2), ("ssim", 3), ("kid", 1), ("colour_a", 3),
                   ("colour_b", 3)])
    lines += ["", "**CycleGAN, dark <-> bright photographs** (80 + 80 held-out 64x64 crops "
              "from photographs never trained on)", "",
              "| model | KID x1000 A->B, untranslated → translated ↓ | KID x1000 B->A, "
              "untranslated → translated ↓ | cycle L1 A ↓ | cycle L1 B ↓ |",
              "|---|---|---|---|---|"]
    for name in CYCLE:
        runs = [r for r in cyc if r["model"] == name]

        def cell(key: str, digits: int, runs: list[dict] = runs) -> str:
            return mean_std([r[key] for r in runs], digits)

        lines.append(f"| {name} | {cell('kid_ab_before', 1)} → {cell('kid_ab', 1)} | "
                     f"{cell('kid_ba_before', 1)} → {cell('kid_ba', 1)} | {cell('cycle_a', 4)} "
                     f"| {cell('cycle_b', 4)} |")
    p2p_seconds = [r["seconds"] for r in p2p if r["seconds"]]
    cyc_seconds = [r["seconds"] for r in cyc]
    lines += [
        "",
        f"Seeds {seeds} (mean ± std where more than one). pix2pix: {args.pix2pix_steps} steps "
        "of 8 pairs, U-Net depth 6 (ngf 16) with dropout predicting the CIE a*b* chroma of the "
        "grey input's lightness (`--colour-space lab`, the default for grey -> colour), "
        "PatchGAN 16x16 receptive field (ndf 32), Adam 2e-4, lambda 100; scores with the "
        "test-time dropout on (seeded); "
        f"{statistics.mean(p2p_seconds):.0f} s per model. CycleGAN: {args.cyclegan_steps} steps "
        "of 4 + 4 images, ResNet generators (ngf 16, 4 blocks), 16x16 PatchGAN critics, "
        "least-squares, 50-image pools, identity 0.5 lambda, linear decay over the second half; "
        f"{statistics.mean(cyc_seconds):.0f} s per model. Both at 64x64 on 1 CPU thread, "
        f"{total / 60:.1f} min in all. KID (x1000, 100-image subsets) is measured in the offline "
        "`random-conv-960` features (pooled responses of a fixed random conv net), comparable "
        "only within these tables. Colour match: intersection of the outputs' and the targets' "
        "CIE Lab a*/b* histograms (64 bins; 1 = the same colour distribution), the pix2pix "
        "paper's measure of how greyish L1-only colours are. The papers train for hours on a "
        "GPU at 256 px, so these are "
        f"short-budget numbers. Hardware: {hardware()}.",
        "Measured by `uv run python bench/translation.py"
        + (f" --seeds {' '.join(map(str, args.seeds))}" if args.seeds != [0] else "")
        + f" --pix2pix-steps {args.pix2pix_steps} --cyclegan-steps {args.cyclegan_steps}"
        + "`.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--photos", type=Path, default=PHOTOS)
    parser.add_argument("--data", type=Path, default=None,
                        help="folder holding (or to hold) grey2colour/ and dark2bright/")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--pix2pix-steps", type=int, default=600)
    parser.add_argument("--cyclegan-steps", type=int, default=300)
    args = parser.parse_args()
    torch.set_num_threads(1)
    np.random.seed(0)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        paired_dir, unpaired_dir = build_data(args.data or Path(tmp) / "data", args.photos)
        p2p = pix2pix_runs(paired_dir, args, Path(tmp))
        cyc = cyclegan_runs(unpaired_dir, args, Path(tmp))
    body = section(p2p, cyc, args, time.perf_counter() - started)
    write_section("translation", body)
    print(body)


if __name__ == "__main__":
    main()
