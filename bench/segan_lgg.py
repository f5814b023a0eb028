"""Medical segmentation on real brain MRI: SegAN against its Dice+BCE baseline on the LGG
FLAIR tumour set (Buda et al. 2019), split by patient.

Every run of a seed uses the same split of patients (drawn from the seed: 70 % train, 10 %
validation, 20 % test), segmentor, resolution, steps, batch and optimiser. Each run is scored
once, after its last step, on its test patients: per-patient Dice of the stacked slices (the
field's figure), IoU, precision, sensitivity, HD95, and the Dice of the slices with tumour.
Runs are kept under --runs and resume, so the budget can be extended across sessions. Also
writes a PNG of predictions against the truth on test slices, from the first seed's run of the
method with the best *validation* Dice (never the test score).

Usage: uv run python bench/segan_lgg.py --lgg ../shared/data/lgg-mri [--image-size 128]
           [--steps 3000] [--seeds 0 1 2] [--methods dice-bce segan segan+dice]
Writes the README section `bench:segan-lgg` and plugins/segan/assets/lgg-predictions.png.
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

import numpy as np
import torch

from gantool_segan.config import SeganConfig
from gantool_segan.evaluation import PATIENT_NAMES, score_patients
from gantool_segan.inference import load, segment
from gantool_segan.patients import load_patients, read_split
from gantool_segan.training import build_game
from kept_runs import records, train_or_resume, wall_time
from readme_tables import hardware, shown, write_section

ROOT = Path(__file__).resolve().parents[1]
PICTURE = ROOT / "plugins" / "segan" / "assets" / "lgg-predictions.png"
METHODS = {"dice-bce": {"method": "dice-bce"},
           "segan": {"method": "segan", "dice_weight": 0.0},
           "segan+dice": {"method": "segan", "dice_weight": 1.0}}
TITLES = {"dice": "patient Dice", "iou": "IoU", "precision": "precision",
          "sensitivity": "sensitivity", "hd95": "HD95 px", "slice_dice": "slice Dice"}
REFERENCE = ("Buda et al. 2019 (U-Net on FLAIR, pre- and post-contrast T1, the same 110 "
             "patients): mean per-patient Dice 82 %. SegAN (Xue et al. 2018) reports BRATS "
             "2015 whole-tumour Dice 0.85 on four MR sequences: a different data set.")


def options(args: argparse.Namespace, method: str, seed: int) -> dict:
    return {"images": args.lgg / "images", "masks": args.lgg / "masks", "seed": seed,
            "steps": args.steps, "batch_size": args.batch_size, "image_size": args.image_size,
            "base": args.base, "device": "cpu", "threads": args.threads,
            "eval_every": args.eval_every, "checkpoint_every": args.eval_every,
            "log_every": 50, **METHODS[method]}


def score(run: Path, lgg: Path) -> dict:
    """Means over the run's test patients, the last validation Dice, and the cost."""
    model = load(run / "model.safetensors")
    patients = load_patients(lgg / "images", lgg / "masks", read_split(run / "model.safetensors")
                             ["test"])
    means = score_patients(model, patients)[1]
    log = records(run)
    validation = [r["val_patient_dice"] for r in log if "val_patient_dice" in r]
    return {**means, "val_dice": validation[-1] if validation else float("nan"),
            "seconds": wall_time(log), "steps": max(r["step"] for r in log),
            "patients": len(patients)}


def picture(run: Path, lgg: Path, path: Path, count: int = 6) -> None:
    """The slice with the most tumour of each test patient (up to `count`): the scan with the
    outlines of the truth (green) and the prediction (red)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    model = load(run / "model.safetensors")
    patients = load_patients(lgg / "images", lgg / "masks",
                             read_split(run / "model.safetensors")["test"])
    largest = [max(p.slices, key=lambda s: s.labels.sum()) for p in patients]
    chosen = [pair for pair in largest if pair.labels.any()][:count]
    fig, axes = plt.subplots(1, len(chosen), figsize=(2.2 * len(chosen), 2.4))
    for ax, pair in zip(np.atleast_1d(axes), chosen, strict=True):
        ax.imshow(pair.image[..., 0], cmap="gray")
        ax.contour(pair.labels > 0, levels=[0.5], colors="lime", linewidths=0.8)
        ax.contour(segment(model, pair.image) > 0, levels=[0.5], colors="red", linewidths=0.8)
        ax.set_title(pair.name, fontsize=5)
        ax.axis("off")
    fig.suptitle(f"{run.name}: truth (green), prediction (red), held-out patients", fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)


def cell(values: list[float], digits: int = 3) -> str:
    values = [v for v in values if v == v]
    if not values:
        return "–"
    if len(values) == 1:
        return f"{values[0]:.{digits}f}"
    return f"{statistics.mean(values):.{digits}f} ± {statistics.stdev(values):.{digits}f}"


def table(results: dict[tuple[str, int], dict], args: argparse.Namespace) -> str:
    names = [*PATIENT_NAMES, "val_dice"]
    lines = ["| method | " + " | ".join(TITLES.get(n, "val patient Dice") for n in names)
             + " | wall time per run |", "|---" * (len(names) + 2) + "|"]
    for method in args.methods:
        runs = [r for (m, _), r in results.items() if m == method]
        if runs:
            minutes = statistics.mean(r["seconds"] for r in runs) / 60
            lines.append(f"| {method} | " + " | ".join(
                cell([r[n] for r in runs], 1 if n == "hd95" else 3) for n in names)
                + f" | {minutes:.0f} min |")
    seeds = sorted({seed for (_, seed) in results})
    patients = sorted({r["patients"] for r in results.values()})
    lines += ["", f"Mean ± std over seeds {', '.join(map(str, seeds))} (each seed its own split "
              f"of the 88 patients; {', '.join(map(str, patients))} test patients), the model "
              f"after the last step. Budget per run: {args.steps:,} steps of {args.batch_size} "
              f"slices at {args.image_size}x{args.image_size}, segmentor base width "
              f"{args.base}, Adam; slices of every patient, tumour or not. Reference: "
              f"{REFERENCE}", "", f"![predictions]({shown(PICTURE)})", "",
              f"Measured on {hardware()}, one run at a time, with `{command(args)}`."]
    return "\n".join(lines) + "\n"


def command(args: argparse.Namespace) -> str:
    return (f"uv run python bench/segan_lgg.py --lgg {shown(args.lgg)} --image-size "
            f"{args.image_size} --steps {args.steps} --seeds {' '.join(map(str, args.seeds))} "
            f"--methods {' '.join(args.methods)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lgg", type=Path, required=True)
    parser.add_argument("--runs", type=Path, default=ROOT / "runs" / "segan-lgg")
    parser.add_argument("--image-size", type=int, default=128)
    parser.add_argument("--base", type=int, default=16)
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--eval-every", type=int, default=500)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=list(METHODS))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--score-only", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    results = {}
    for seed in args.seeds:
        for method in args.methods:
            run = args.runs / f"{method}-s{seed}"
            if not args.score_only:
                train_or_resume(build_game, SeganConfig, "segan", options(args, method, seed),
                                run)
            if (run / "model.safetensors").exists():
                results[method, seed] = result = score(run, args.lgg)
                print(f"{method}, seed {seed}: patient Dice {result['dice']:.3f} "
                      f"({result['seconds'] / 60:.1f} min)", flush=True)
    first = args.seeds[0]
    best = max((m for m in args.methods if (m, first) in results),
               key=lambda m: results[m, first]["val_dice"])
    picture(args.runs / f"{best}-s{first}", args.lgg, PICTURE)
    write_section("segan-lgg", table(results, args))


if __name__ == "__main__":
    main()
