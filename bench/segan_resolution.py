"""What training SegAN at a lower resolution than the LGG slices' 256x256 costs.

Two measured numbers per side, on every patient of the set:
- the Dice ceiling: each manual mask resized to the side (bilinear, antialiased, as
  `gantool run segan` resizes a scan) and back to 256 (bilinear, threshold 0.5, as it resizes
  the logits), scored per patient against the original: what a perfect model at that side
  would score, so the most the resolution alone can cost;
- the time of one Dice+BCE training step of the segmentor (forward, backward, Adam) on a
  batch of 16 slices at that side, 1 thread, median of 5 after 2 warm-up steps.

Usage: uv run python bench/segan_resolution.py --lgg DATA/lgg-mri [--sizes 64 128 256]
Writes the README section `bench:segan-resolution`.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from gantool_segan.folders import Pair
from gantool_segan.metrics import patient_scores
from gantool_segan.models import Segmentor, foreground, one_hot_foreground
from gantool_segan.patients import Patient, load_patients, patient_names
from gantool_segan.training import cross_entropy, soft_dice_loss
from readme_tables import hardware, shown, write_section


def round_trip(mask: np.ndarray, side: int) -> np.ndarray:
    """A binary H x W mask resized to side x side and back, as inference resizes."""
    x = torch.from_numpy(mask.astype(np.float32))[None, None]
    small = F.interpolate(x, size=(side, side), mode="bilinear", align_corners=False,
                          antialias=True)
    back = F.interpolate(small, size=mask.shape, mode="bilinear", align_corners=False)
    return (back[0, 0] > 0.5).numpy().astype(np.int64)


def dice_ceiling(patients: list[Patient], side: int) -> float:
    """Mean per-patient Dice of the masks after the round trip through `side`."""
    dices = []
    for patient in patients:
        masks = Patient(patient.name, [Pair(s.name, s.labels, s.labels) for s in patient.slices])
        dices.append(patient_scores(lambda mask: round_trip(mask, side), masks)["dice"])
    return float(np.mean(dices))


def step_seconds(side: int, base: int, batch: int, repeats: int = 5) -> float:
    """Median seconds of one Dice+BCE step of the segmentor at side x side."""
    torch.manual_seed(0)
    segmentor = Segmentor(1, 2, base)
    optimiser = torch.optim.Adam(segmentor.parameters(), 1e-3, betas=(0.5, 0.999))
    images = torch.rand(batch, 1, side, side)
    labels = (torch.rand(batch, side, side) > 0.9).long()
    times = []
    for _ in range(repeats + 2):
        start = time.perf_counter()
        logits = segmentor(images)
        loss = cross_entropy(logits, labels, 2) + soft_dice_loss(
            foreground(logits, 2), one_hot_foreground(labels, 2))
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        times.append(time.perf_counter() - start)
    return statistics.median(times[2:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lgg", type=Path, required=True)
    parser.add_argument("--sizes", type=int, nargs="+", default=[64, 128, 256])
    parser.add_argument("--base", type=int, default=16)
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args()
    torch.set_num_threads(1)
    names = patient_names(args.lgg / "images", args.lgg / "masks")
    patients = load_patients(args.lgg / "images", args.lgg / "masks", names)
    full = max(patients[0].slices[0].labels.shape)
    rows = []
    for side in args.sizes:
        seconds = step_seconds(side, args.base, args.batch_size)
        rows.append(f"| {side}x{side} | {dice_ceiling(patients, side):.4f} | {seconds:.2f} s "
                    f"| {3000 * seconds / 60:.0f} min |")
        print(rows[-1], flush=True)
    body = "\n".join([
        "| training side | Dice ceiling (perfect model at that side) | segmentor step "
        "(dice-bce) | 3,000 steps |", "|---|---|---|---|", *rows, "",
        f"Dice ceiling: the manual masks of all {len(patients)} patients resized to the side "
        f"and back to {full} as `gantool run segan` resizes (bilinear, threshold 0.5), mean "
        "per-patient Dice against the originals: the most the resolution alone can cost a "
        f"model. Step: forward, backward and Adam on {args.batch_size} slices, segmentor base "
        f"{args.base}, median of 5 (a SegAN step adds the critic's). Measured on "
        f"{hardware()} with `uv run python bench/segan_resolution.py --lgg {shown(args.lgg)} "
        f"--sizes {' '.join(map(str, args.sizes))}`."])
    write_section("segan-resolution", body)
    print(body)


if __name__ == "__main__":
    main()
