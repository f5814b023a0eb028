"""Medical segmentation on real brain MRI: SegAN against its Dice+BCE baseline on the LGG
FLAIR tumour set (Buda et al. 2019), split by patient.

Every run of a seed uses the same split of patients (drawn from the seed: 70 % train, 10 %
validation, 20 % test), segmentor, resolution, steps, batch and optimiser. Each run is scored
once, after its last step, on its test patients: per-patient Dice of the stacked slices (the
field's figure), IoU, precision, sensitivity, HD95, and the Dice of the slices with tumour.
Runs are kept under --runs and resume, so the budget can be extended across sessions. Also
writes a PNG of predictions against the truth on test slices, from the first seed's run of the
method with the best *validation* Dice (never the test score); `--ship` makes that run the
default model of `gantool run segan`, with its model card, its split and a sample slice of one
of its test patients (never trained on).

Each scored run is recorded in bench/results/segan-lgg.jsonl, and the table is rebuilt from the
records of this budget: one seed or one method at a time adds to it, and `--score-only` rebuilds
it even with no run kept.

Usage: uv run python bench/segan_lgg.py --lgg ../shared/data/lgg-mri [--image-size 128]
           [--steps 3000] [--seeds 0 1 2] [--methods dice-bce segan segan+dice] [--ship]
Writes the README section `bench:segan-lgg` and plugins/segan/assets/lgg-predictions.png.
"""

from __future__ import annotations

import argparse
import copy
import math
import shutil
import statistics
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch

import results
from gantool_segan.config import SeganConfig
from gantool_segan.evaluation import PATIENT_NAMES, calibrate, score_patients
from gantool_segan.inference import SHIPPED, THRESHOLD_KEY, Model, load, segment
from gantool_segan.patients import SPLIT_FILE, Patient, load_patients, read_split
from gantool_segan.training import build_game
from kept_runs import records, train_or_resume, wall_time
from readme_tables import hardware, shown, write_section
from segan import verdict
from shipping import ship_networks, write_card

ROOT = Path(__file__).resolve().parents[1]
PICTURE = ROOT / "plugins" / "segan" / "assets" / "lgg-predictions.png"
SAMPLE = ROOT / "datasets" / "samples" / "segan_flair.png"
"""A slice of a test patient of the shipped model (never trained on), and its tumour mask."""
METHODS = {"dice-bce": {"method": "dice-bce"},
           "segan": {"method": "segan", "dice_weight": 0.0},
           "segan+dice": {"method": "segan", "dice_weight": 1.0}}
TITLES = {"dice": "patient Dice", "iou": "IoU", "precision": "precision",
          "sensitivity": "sensitivity", "hd95": "HD95 px", "slice_dice": "slice Dice"}
BENCH = "segan-lgg"
PLAIN = {"sampling": "uniform", "augment": False, "decay_from": 1.0}
TARGET = 0.80
"""The per-patient Dice to reach: near Buda et al.'s 82 % with three sequences, on FLAIR alone."""
REFERENCE = ("Buda et al. 2019 (U-Net on FLAIR, pre- and post-contrast T1, the same 110 "
             "patients): mean per-patient Dice 82 %. SegAN (Xue et al. 2018) reports better "
             "Dice and precision than the state of the art on BRATS 2015 (four MR sequences): "
             "a different data set.")


def options(args: argparse.Namespace, method: str, seed: int) -> dict:
    return {"images": args.lgg / "images", "masks": args.lgg / "masks", "seed": seed,
            "steps": args.steps, "batch_size": args.batch_size, "image_size": args.image_size,
            "base": args.base, "device": "cpu", "threads": args.threads,
            "eval_every": args.eval_every, "checkpoint_every": args.eval_every,
            "log_every": 50, **recipe(args), **METHODS[method]}


def recipe(args: argparse.Namespace) -> dict:
    """The training recipe's options that differ from the plain one (uniform slices, no
    augmentation, constant learning rate), so the plain recipe's records keep their rows."""
    chosen = {"sampling": args.sampling, "augment": args.augment, "decay_from": args.decay_from}
    return {k: v for k, v in chosen.items() if v != PLAIN[k]}


def recipe_words(args: argparse.Namespace | dict) -> str:
    """The recipe in words, from the bench's arguments or a trained model's config."""
    values = vars(args) if isinstance(args, argparse.Namespace) else args
    chosen = {k: values.get(k, PLAIN[k]) for k in PLAIN}
    return ", ".join(filter(None, [
        "slices drawn by tumour area (a patient at random, then its slices in proportion to "
        "their mask area)" if chosen["sampling"] == "area" else "slices of every patient, "
        "tumour or not, each once per epoch",
        "augmented (flip, rotation within 15 degrees, scaling within 5 %)"
        if chosen["augment"] else "",
        f"learning rates falling linearly to zero after {chosen['decay_from']:.0%} of the steps"
        if chosen["decay_from"] < 1 else ""]))


def run_folder(args: argparse.Namespace, method: str, seed: int) -> Path:
    """One folder per method, recipe and seed (a recipe never resumes another's run)."""
    tags = "".join(f"-{k}{'' if v is True else v}" for k, v in recipe(args).items())
    return args.runs / f"{method}{tags}-s{seed}"


def score(run: Path, lgg: Path) -> dict:
    """Means over the run's test patients (as `gantool eval` scores the model), the inference
    choices' Dice, the last validation Dice, and the cost."""
    model = load(run / "model.safetensors")
    split = read_split(run / "model.safetensors")
    patients = load_patients(lgg / "images", lgg / "masks", split["test"])
    means = score_patients(model, patients)[1]
    if model.flip:
        means |= inference_choices(model, load_patients(lgg / "images", lgg / "masks",
                                                        split["val"]), patients)
    log = records(run)
    validation = [r["val_patient_dice"] for r in log if "val_patient_dice" in r]
    share = np.mean([(s.labels > 0).mean() for p in patients for s in p.slices])
    return {**means, "val_dice": validation[-1] if validation else float("nan"),
            "seconds": wall_time(log), "steps": max(r["step"] for r in log),
            "patients": len(patients), "tumour_share": float(share)}


def inference_choices(model: Model, validation: list[Patient], test: list[Patient]
                      ) -> dict[str, float]:
    """Test Dice of a model trained with flips, one inference choice added at a time: one view
    at 0.5, the mean with the mirror image (the default), the largest region only, and the
    threshold that does best on the validation patients (`threshold_tuned`)."""
    threshold, _ = calibrate(model, validation, largest=True)
    return {"dice_one_view": score_patients(replace(model, flip=False), test)[1]["dice"],
            "dice_largest": score_patients(model, test, largest=True)[1]["dice"],
            "dice_tuned": score_patients(model, test, threshold, largest=True)[1]["dice"],
            "threshold_tuned": threshold}


def record(run: Path, method: str, seed: int, args: argparse.Namespace, result: dict) -> None:
    results.append(BENCH, task="segan", method=method, options=options(args, method, seed),
                   seed=seed, steps=result["steps"], wall_seconds=result["seconds"],
                   metrics={k: v for k, v in result.items() if k not in ("seconds", "steps")},
                   weights=run / "model.safetensors")


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


def ship(run: Path, result: dict, lgg: Path, command: str) -> None:
    """The run's segmentor (the critic is a training device) as the default of `gantool run
    segan`, its split (so `gantool eval` scores its test patients) and a sample slice, with
    the threshold that does best on its validation patients (slice by slice, as `gantool run`
    segments: no region is dropped); the card scores it on the test patients so."""
    split = read_split(run / "model.safetensors")
    threshold, _ = calibrate(load(run / "model.safetensors"),
                             load_patients(lgg / "images", lgg / "masks", split["val"]))
    shipped = ship_networks(run, SHIPPED, "segan", ["S"],
                            calibration={THRESHOLD_KEY: str(threshold)})
    shutil.copyfile(run / SPLIT_FILE, SHIPPED.with_name(SPLIT_FILE))
    test = score_patients(load(SHIPPED), load_patients(lgg / "images", lgg / "masks",
                                                       split["test"]))[1]
    config = shipped.config
    names = split["train"]
    patient = next(p for p in load_patients(lgg / "images", lgg / "masks", split["test"])
                   if any(s.labels.any() for s in p.slices))
    tumours = sorted((s for s in patient.slices if s.labels.any()), key=lambda s: s.labels.sum())
    sample = tumours[len(tumours) // 2]  # the median tumour: neither the easiest nor a speck
    for path, source in ((SAMPLE, "images"), (SAMPLE.with_name(f"{SAMPLE.stem}_tumour.png"),
                                              "masks")):
        shutil.copyfile(lgg / source / patient.name / f"{sample.name}.png", path)
    method = ("SegAN: critic maximising the multi-scale L1 loss between its features of image "
              "x predicted mask and image x true mask, segmentor minimising it"
              + (f" plus a soft Dice term of weight {config['dice_weight']:g}"
                 if config["method"] == "segan" and config["dice_weight"] else "")
              if config["method"] == "segan" else "Dice + binary cross-entropy (no critic)")
    rows = [
        ("task", "`segan`, binary tumour mask (sigmoid head), 1 input channel (FLAIR, grey)"),
        ("network", f"segmentor only: U-Net of `gantool.layers.UNetGenerator`, base "
                    f"{config['base']}, depth {config['depth']}, batch norm, logits head; "
                    f"{shipped.parameters:,} parameters, {shipped.described}"),
        ("data", f"LGG FLAIR slices (Buda et al. 2019, TCGA-LGG via TCIA, CC BY-NC-SA 4.0), "
                 f"`{shown(lgg)}`: the training patients of `{SPLIT_FILE}` (seed "
                 f"{config['seed']}, split by patient), resized to "
                 f"{config['image_size']}x{config['image_size']}; {recipe_words(config)}"),
        ("method", f"{method}; Adam lr {config['lr']:g}, batches of {config['batch_size']}"),
        ("training", f"{result['steps']:,} steps, seed {config['seed']}, 1 CPU thread, "
                     f"{result['seconds'] / 60:.0f} min on "
                     f"{hardware(results.trained_on(BENCH, run / 'model.safetensors'))}"),
        ("picked", "of the methods' first-seed runs, the best mean per-patient Dice on the "
                   "validation patients (never on the test patients)"),
        ("inference", ("each slice predicted as the mean of its logits and its mirror "
                       "image's (it trained with flips); " if config["augment"] else "")
                      + f"foreground above {threshold:g}, the threshold with the best "
                      "per-patient Dice on the validation patients"),
        ("test patients", f"{result['patients']} held out: per-patient Dice "
                          f"**{test['dice']:.3f}**, IoU {test['iou']:.3f}, precision "
                          f"{test['precision']:.3f}, sensitivity {test['sensitivity']:.3f}, "
                          f"HD95 {test['hd95']:.1f} px, Dice of the slices with tumour "
                          f"{test['slice_dice']:.3f}"),
    ]
    write_card(shipped, "The default model of `gantool run segan` and `gantool eval segan`: a "
               "brain-tumour segmentor for FLAIR MRI slices. **A research model trained on "
               f"{len(names)} patients; not for clinical use. The data's licence (CC BY-NC-SA "
               "4.0) makes it non-commercial.**", rows,
               ["Inputs of any size are resized to the model's side and masks written back at "
                "the input's size; colour inputs are converted to grey with a notice. Scores: "
                "each patient's slices stacked into one volume (see the plugin README for the "
                "empty-mask conventions). `gantool eval segan --images "
                f"{shown(lgg)}/images --masks {shown(lgg)}/masks` scores the same test "
                f"patients (the split is shipped beside the weights). Sample: "
                f"`{shown(SAMPLE)}`, slice {sample.name} of test patient {patient.name} (never "
                "trained on; its median tumour slice), with its manual mask beside it."],
               command)


def budgets(recorded: list[dict], args: argparse.Namespace) -> list[argparse.Namespace]:
    """This invocation's arguments for each budget and recipe the records hold (its own
    first), so every trained budget keeps its table."""
    def key(options: dict) -> tuple:
        return (options["steps"], *(options.get(k, PLAIN[k]) for k in PLAIN))

    seen = [key({"steps": args.steps, **recipe(args)})]
    seen += sorted({key(r["options"]) for r in recorded} - set(seen), reverse=True)
    return [argparse.Namespace(**{**vars(args), "steps": steps,
                                  **dict(zip(PLAIN, rest, strict=True))})
            for steps, *rest in seen]


def tables(recorded: list[dict], args: argparse.Namespace) -> str:
    """A table per budget and recipe with records, the invocation's first."""
    parts = [(budget, table(recorded, budget)) for budget in budgets(recorded, args)]
    measured = [f"**{budget.steps:,} steps; {recipe_words(budget)}**\n\n{part}"
                for budget, part in parts if not part.startswith("Records pending")]
    picture = f"![predictions]({shown(PICTURE)})\n\n"
    return "\n".join([measured[0], *(m.replace(picture, "") for m in measured[1:])]
                     if measured else [parts[0][1]])


def table(recorded: list[dict], args: argparse.Namespace) -> str:
    """The methods' rows of the records with this invocation's options, whatever seeds and
    methods it ran."""
    rows, missing, machines = results.rows_of(recorded, METHODS,
                                              lambda method: options(args, method, 0))
    if machines is None:
        return results.pending(BENCH, missing) + "\n"
    names = [*PATIENT_NAMES, "val_dice"]
    lines = ["| method | " + " | ".join(TITLES.get(n, "val patient Dice") for n in names)
             + " | wall time per run |", "|---" * (len(names) + 2) + "|"]
    for method, row in rows.items():
        lines.append(f"| {row.label(method, machines)} | " + " | ".join(
            row.spread(n, 1 if n == "hd95" else 3) for n in names)
            + f" | {row.wall_seconds() / 60:.0f} min |")
    notes = [*machines.notes(), *([results.pending(BENCH, missing)] if missing else [])]
    lines += ["", *notes] if notes else []
    runs = [{"method": m, "dice": d} for m, row in rows.items() for d in row.values("dice")]
    best = max(statistics.mean(row.values("dice")) for row in rows.values())
    share = statistics.mean(s for row in rows.values() for s in row.values("tumour_share"))
    lines += ["", verdict(runs, f"tumours of {share:.1%} of the pixels on average"),
              f"The best method's mean per-patient Dice is {best:.3f}, "
              f"{'at or above' if best >= TARGET else 'below'} the target of {TARGET:.2f}."]
    lines += inference_table(rows, machines)
    shown_args = copy.copy(args)
    shown_args.methods = list(rows)
    shown_args.seeds = sorted({r["seed"] for row in rows.values() for r in row.records})
    patients = sorted({int(p) for row in rows.values() for p in row.values("patients")})
    lines += ["", f"Mean ± std over seeds {', '.join(map(str, shown_args.seeds))} (each seed its "
              f"own split of the 88 patients; {', '.join(map(str, patients))} test patients), the "
              f"model after the last step. Budget per run: {args.steps:,} steps of "
              f"{args.batch_size} slices at {args.image_size}x{args.image_size}, segmentor base "
              f"width {args.base}, Adam; {recipe_words(args)}. Reference: "
              f"{REFERENCE}", "", f"![predictions]({shown(PICTURE)})", "",
              f"Measured on {hardware(machines.usual)}, one thread per run (another training "
              "may have shared the machine, so wall times are upper bounds), with "
              f"`{command(shown_args)}`."]
    return "\n".join(lines) + "\n"


CHOICES = {"dice_one_view": "one view, threshold 0.5",
           "dice": "mean with the mirror image (the default)",
           "dice_largest": "and the largest region only",
           "dice_tuned": "and the validation patients' best threshold"}
"""Inference choices, each added to the one before it."""


def inference_table(rows: dict[str, results.Row], machines) -> list[str]:
    """The same runs' test Dice as each inference choice is added (runs trained with flips)."""
    chosen = {method: row for method, row in rows.items()
              if not any(math.isnan(v) for v in row.values("dice_tuned"))}
    if not chosen:
        return []
    lines = ["", "The same runs, per-patient test Dice as each inference choice is added:", "",
             "| method | " + " | ".join(CHOICES.values()) + " | thresholds chosen |",
             "|---" * (len(CHOICES) + 2) + "|"]
    for method, row in chosen.items():
        thresholds = ", ".join(f"{t:g}" for t in row.values("threshold_tuned"))
        lines.append(f"| {row.label(method, machines)} | "
                     + " | ".join(row.spread(k, 3) for k in CHOICES) + f" | {thresholds} |")
    return lines + ["", "The mirror image: each slice is also predicted flipped left-right (the "
                        "runs trained with flips) and the two logits averaged. The largest "
                        "region: of each patient's predicted volume, only its largest connected "
                        "region in 3-D is kept (a low-grade glioma is one mass; Buda et al.'s "
                        "reference code post-processes so). The threshold: of 0.1 to 0.9, the "
                        "one with the best mean per-patient Dice on the run's validation "
                        "patients (never the test patients), per run."]


def command(args: argparse.Namespace) -> str:
    return (f"uv run python bench/segan_lgg.py --lgg {shown(args.lgg)} --image-size "
            f"{args.image_size} --steps {args.steps} --seeds {' '.join(map(str, args.seeds))} "
            f"--methods {' '.join(args.methods)}"
            + "".join(f" --{k.replace('_', '-')}" + ("" if v is True else f" {v}")
                      for k, v in recipe(args).items()))


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
    parser.add_argument("--sampling", choices=["uniform", "area"], default="uniform")
    parser.add_argument("--augment", action="store_true")
    parser.add_argument("--decay-from", type=float, default=1.0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--score-only", action="store_true")
    parser.add_argument("--ship", action="store_true",
                        help="make the picked run the default of `gantool run segan`")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    scored = {}
    for seed in args.seeds:
        for method in args.methods:
            run = run_folder(args, method, seed)
            if not args.score_only:
                train_or_resume(build_game, SeganConfig, "segan", options(args, method, seed),
                                run)
            if (run / "model.safetensors").exists():
                scored[method, seed] = result = score(run, args.lgg)
                record(run, method, seed, args, result)
                print(f"{method}, seed {seed}: patient Dice {result['dice']:.3f} "
                      f"({result['seconds'] / 60:.1f} min)", flush=True)
    first = args.seeds[0]
    picked = [m for m in args.methods if (m, first) in scored]
    if picked:
        best = max(picked, key=lambda m: scored[m, first]["val_dice"])
        picture(run_folder(args, best, first), args.lgg, PICTURE)
        if args.ship:
            ship(run_folder(args, best, first), scored[best, first], args.lgg, command(args))
    elif args.ship:
        raise SystemExit(f"--ship: no run of seed {first} under {args.runs} to ship")
    write_section("segan-lgg", tables(results.load(BENCH), args))


if __name__ == "__main__":
    main()
