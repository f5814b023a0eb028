"""CycleGAN on CMP facades without pairs, labels -> photo (Zhu et al. 2017), its cycle-loss
ablation, and pix2pix on the same test pairs as the paired upper bound.

The training data is the `facades-unpaired` recipe (built from --facades when --unpaired is
absent): label maps of half the training scenes against photos of the other half, so no pair
is ever seen. Each method trains (or resumes) a run under --runs and is scored once after its
last step, with G_AB, on the 106 test pairs exactly as bench/translation_facades.py scores
pix2pix: L1, PSNR, SSIM against the true photo, KID x1000 in the offline random-conv feature
space, Lab colour match. One record per scored run goes to bench/results/cyclegan-facades.jsonl;
the table also shows the pix2pix L1 + cGAN records of bench/translation_facades.py.
Also writes a test-set grid PNG (labels | pix2pix | CycleGAN | truth).

Usage: uv run python bench/cyclegan_facades.py --facades DIR [--steps 12000] [--seeds 0]
           [--methods cyclegan cyclegan-nocycle] [--upsample resize|transpose] [--score-only]
           [--keep-warm bench/warm] [--init FILE] [--ship]
`--ship` makes the first seed's CycleGAN run the default model of `gantool run cyclegan`.
A budget longer than a session is trained in segments: `--keep-warm DIR` copies each scored
run's generators to DIR/cyclegan-facades-METHOD-NGF-UPSAMPLE-sSEED-STEPS.safetensors (STEPS:
all segments'), and a later `--init` of that file trains the next `--steps` from it (its
critics and optimisers start fresh); the table counts every segment's steps.
Writes the section `bench:cyclegan-facades`.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import torch

import results
from gantool.metadata import read_metadata
from gantool_translation.config import CycleGANConfig
from gantool_translation.cyclegan import build_game
from gantool_translation.data import load_pairs
from gantool_translation.evaluation import label_agreement, nearest_colour, pix2pix_scores
from gantool_translation.features import get_extractor
from gantool_translation.inference import keep_dropout, translate
from gantool_translation.recipes.facades import build as build_unpaired
from gantool_translation.recipes.facades import label_colours
from gantool_translation.shipped import CYCLEGAN_WEIGHTS, PIX2PIX_WEIGHTS
from gantool_translation.snapshots import write_grid
from gantool_translation.translators import Model, load_cyclegan, load_pix2pix
from kept_runs import records, train_or_resume, wall_time
from readme_tables import hardware, shown, write_section
from shipping import ship_networks, write_card
from translation_facades import BENCH as PIX2PIX_BENCH
from translation_facades import COLUMNS, RECORDED, SAMPLE, cells, checkerboard_note, unet

ROOT = Path(__file__).resolve().parents[1]
BENCH = "cyclegan-facades"
GRID = ROOT / "plugins" / "translation" / "assets" / "facades-cyclegan-grid.png"
METHODS = {"cyclegan": {"cycle_weight": 10.0}, "cyclegan-nocycle": {"cycle_weight": 0.0}}
TITLES = {"cyclegan": "CycleGAN (unpaired)", "cyclegan-nocycle": "GAN alone, no cycle loss "
          "(unpaired)"}
LABELS = {"pixel_acc": "per-pixel accuracy", "class_acc": "per-class accuracy",
          "class_iou": "class IoU"}
"""Photo -> labels (G_BA) against the true label maps: the paper's Table 2 measures."""
PAIRED_KEYS = ("ngf", "depth", "steps", "upsample")
"""What tells pix2pix rows apart in this table."""
LABELS_PAPER = {"CycleGAN": (0.58, 0.22, 0.16), "pix2pix": (0.85, 0.40, 0.32)}
"""Zhu et al. 2017, Table 2: photo -> labels on Cityscapes (19 classes, 256 px)."""
PAPER = ("The CycleGAN paper (Zhu et al. 2017, Table 1 and Figure 7, on Cityscapes labels -> "
         "photo; facades shown qualitatively): CycleGAN well below pix2pix, its paired upper "
         "bound, and well above the GAN-alone ablation, which ignores the input.")


def options(args: argparse.Namespace, method: str, seed: int) -> dict:
    """The paper's recipe scaled to 128 px: ResNet generators with 6 blocks, 34x34 PatchGAN
    critics, batch 1, lambda 10, identity 0.5 lambda, a pool of 50, jitter and flips, the
    learning rate decaying to 0 over the second half."""
    return {"data": args.unpaired, "image_size": args.image_size, "ngf": args.ngf,
            "blocks": 6, "ndf": 64, "d_layers": 2, "batch_size": 1, "steps": args.steps,
            "upsample": args.upsample, "seed": seed, "eval_every": 2000,
            "checkpoint_every": 1000, "log_every": 100, "device": "cpu",
            "threads": args.threads, "init": args.init, **METHODS[method]}


def run_folder(args: argparse.Namespace, method: str, seed: int) -> Path:
    start = "" if args.init is None else f"-from-{args.init.stem}"
    return args.runs / f"{method}-{args.ngf}-{args.upsample}-s{seed}{start}"


def chained_steps(weights: Path) -> int:
    """The steps of every training segment that made `weights` (its lineage)."""
    return sum(part["steps"] for part in json.loads(read_metadata(weights)["lineage"]))


def keep_warm(run: Path, method: str, seed: int, args: argparse.Namespace) -> None:
    """The run's generators under the name a later segment's `--init` gives."""
    weights = run / "model.safetensors"
    name = (f"{BENCH}-{method}-{args.ngf}-{args.upsample}-s{seed}-"
            f"{chained_steps(weights)}.safetensors")
    args.keep_warm.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(weights, args.keep_warm / name)


def labels_to_photo(model: Model, args: argparse.Namespace) -> dict:
    pairs = load_pairs(args.facades, "test", args.image_size)
    return pix2pix_scores(model.directions["AtoB"], model.multiple, pairs.b, pairs.a,
                          get_extractor("random-conv", None), seed=0)


def photo_to_labels(model: Model, args: argparse.Namespace) -> dict:
    """G_BA's label maps of the test photos against the true ones."""
    pairs = load_pairs(args.facades, "test", args.image_size)
    made = torch.cat([translate(model.directions["BtoA"], x, model.multiple)
                      for x in pairs.a.split(32)])
    return label_agreement(made, pairs.b.float() / 255, torch.from_numpy(label_colours()))


def majority_class(args: argparse.Namespace) -> dict:
    """The baseline that draws every test pixel in the training maps' most common class."""
    colours = torch.from_numpy(label_colours())
    train = load_pairs(args.facades, "train", args.image_size).b.float() / 255
    counts = sum(torch.bincount(nearest_colour(x, colours), minlength=len(colours))
                 for x in train)
    test = load_pairs(args.facades, "test", args.image_size).b.float() / 255
    flat = (colours[int(torch.argmax(counts))] / 255).float()[:, None, None].expand_as(test)
    return label_agreement(flat, test, colours)


def score(run: Path, args: argparse.Namespace) -> dict:
    log = records(run)
    model = load_cyclegan(run / "model.safetensors")
    return {**labels_to_photo(model, args), **photo_to_labels(model, args),
            "seconds": wall_time(log), "steps": chained_steps(run / "model.safetensors")}


def grid(run: Path, args: argparse.Namespace, count: int = 6) -> None:
    """labels | shipped pix2pix | shipped CycleGAN | this CycleGAN (where it is not the shipped
    one) | truth, on the first test pairs."""
    pairs = load_pairs(args.facades, "test", args.image_size)
    labels, truth = pairs.b[:count], pairs.a[:count]
    pix2pix = load_pix2pix(PIX2PIX_WEIGHTS)
    (paired,) = pix2pix.directions.values()
    keep_dropout(paired.generator)
    torch.manual_seed(0)
    columns = [labels.float() / 255, translate(paired, labels, pix2pix.multiple)]
    shipped, own = load_cyclegan(CYCLEGAN_WEIGHTS), load_cyclegan(run / "model.safetensors")
    for cyclegan in [shipped] + ([own] if own.config != shipped.config else []):
        columns.append(translate(cyclegan.directions["AtoB"], labels, cyclegan.multiple))
    columns.append(truth.float() / 255)
    GRID.parent.mkdir(exist_ok=True)
    write_grid(columns, GRID)


def line(title: str, network: str, steps: str, row: results.Row, machines) -> str:
    return (f"| {row.label(title, machines)} | {network} | {steps} | "
            f"{cells(row)} | {row.wall_seconds() / 60:.0f} min |")


def measured_rows(args: argparse.Namespace) -> tuple[dict, list[str]]:
    """{(method, ngf, steps, upsample, init): row} of every variant with records, and the
    invocation's methods that have none."""
    recorded, rows, missing = results.load(BENCH), {}, []
    for index, variant in enumerate(results.variants(recorded, args,
                                                     ("ngf", "steps", "upsample", "init"))):
        kept, absent, _ = results.rows_of(recorded, METHODS,
                                          lambda method, a=variant: options(a, method, 0))
        rows.update({(method, variant.ngf, variant.steps, variant.upsample, variant.init): row
                     for method, row in kept.items()})
        missing += absent if index == 0 else []
    return rows, missing


def segments(row: results.Row, steps: int, init: str | None) -> str:
    """The row's steps: its budget, or for a chain, those of the segments before the last
    (the record counts all) plus the last one's budget."""
    if init is None:
        return f"{steps:,}"
    return f"{row.records[0]['steps'] - steps:,} + {steps:,}"


def table(args: argparse.Namespace) -> str:
    rows, missing = measured_rows(args)
    paired = {}
    for record in results.load(PIX2PIX_BENCH):
        if record["method"] == "pix2pix-l1+cgan":
            paired.setdefault(tuple(record["options"][k] for k in PAIRED_KEYS),
                              []).append(record)
    if not rows:
        return results.pending(BENCH, missing) + "\n"
    every = [r for row in rows.values() for r in row.records]
    every += [r for kept in paired.values() for r in kept]
    machines = results.machines(every)
    lines = ["| method | generator | steps | " + " | ".join(COLUMNS.values())
             + " | wall time per run |", "|---" * (len(COLUMNS) + 4) + "|"]
    for (ngf, depth, steps, upsample), kept in sorted(paired.items(), reverse=True):
        row = results.row(kept, "pix2pix-l1+cgan", kept[0]["options"])
        lines.append(line("pix2pix L1 + cGAN (paired: the upper bound)",
                          f"U-Net, {unet(ngf, depth, upsample)}", f"{steps:,}", row,
                          machines))
    for (method, ngf, steps, upsample, init), row in rows.items():
        lines.append(line(TITLES[method], f"ResNet, {ngf} channels, 6 blocks, "
                          f"{upsample} upsampling", segments(row, steps, init), row, machines))
    notes = [*machines.notes(), *([results.pending(BENCH, missing)] if missing else [])]
    seeds = sorted({r["seed"] for row in rows.values() for r in row.records})
    lines += ["", *notes, "", f"Seeds {', '.join(map(str, seeds))} (mean ± std where more than "
              "one), on the 106 test pairs of the standard split, labels -> photo, after the last "
              "step, scored as the pix2pix table is. CycleGAN runs: the `facades-unpaired` "
              "recipe (label maps of 200 training scenes, photos of the other 200: no pair is "
              f"ever seen), batches of 1 at {args.image_size}x{args.image_size} with the "
              "paper's jitter and flips, lambda 10 (0 for the ablation) and identity 0.5 "
              "lambda, 34x34 PatchGAN critics with 64 channels, a pool of 50, Adam 2e-4 "
              "(beta1 0.5) decaying linearly to 0 over the second half (the paper: 200 epochs "
              "at 256 px). Steps `A + B`: a chain, B steps warm-started (`--init`) from the "
              "generators of the A-step row above it, its critics and optimisers fresh, its "
              "learning rate on the same schedule over B; its wall time is the last segment's. "
              f"{checkerboard_note(every)} {PAPER}", "",
              f"![labels, pix2pix, CycleGAN, truth]({shown(GRID)})",
              "", "The grid, on the first six test pairs: the label map, the shipped pix2pix's "
              "photo, the shipped CycleGAN's (and, where it is another, that of the first "
              "CycleGAN run of the command below), the true photo.", "",
              f"Measured on {hardware(machines.usual)}, one thread per run (another "
              "training may have shared the machine, so wall times are upper bounds), with "
              f"`{command(args)}`; the pix2pix rows by `bench/translation_facades.py`."]
    return "\n".join(lines + label_table(args, rows, machines)) + "\n"


def label_table(args: argparse.Namespace, rows: dict, machines) -> list[str]:
    """Photo -> labels: the runs' G_BA against the true label maps, beside the majority-class
    baseline and the paper's Cityscapes figures."""
    recorded = results.load(BENCH)
    kept = {f"{TITLES[m]}, {upsample} upsampling, {segments(row, steps, init)} steps": row
            for (m, _, steps, upsample, init), row in rows.items()
            if all(k in row.records[0]["metrics"] for k in LABELS)}
    majority = [r for r in recorded if r["method"] == "majority-class"
                and r["options"]["image_size"] == args.image_size]
    if not kept:
        return []
    lines = ["", "Photo -> labels, the other generator (G_BA) on the 106 test photos:", "",
             "| photo -> labels | " + " | ".join(LABELS.values()) + " |",
             "|---" * (len(LABELS) + 1) + "|"]
    if majority:
        lines.append("| every pixel the training maps' most common class | "
                     + " | ".join(f"{majority[-1]['metrics'][k]:.3f}" for k in LABELS) + " |")
    for title, row in kept.items():
        lines.append(f"| {row.label(title, machines)} | "
                     + " | ".join(row.spread(k, 3) for k in LABELS) + " |")
    for name, figures in LABELS_PAPER.items():
        lines.append(f"| the paper, on Cityscapes: {name} | "
                     + " | ".join(f"{v:.2f}" for v in figures) + " |")
    return lines + ["", "Each pixel of a made and of a true label map is read as the class of "
                        "its nearest class colour (the maps draw the 12 CMP classes in the jet "
                        "colours k/12); over the classes the truth holds. The paper's figures "
                        "are Cityscapes photo -> labels (Zhu et al. 2017, Table 2), not facades: "
                        "a reference for the scale, not a like-for-like comparison."]


def ship(run: Path, result: dict, args: argparse.Namespace) -> None:
    """Both generators as the default of `gantool run cyclegan` (labels -> photo as AtoB, photo
    -> labels as BtoA), with its card; the sample is pix2pix's test label map."""
    shipped = ship_networks(run, CYCLEGAN_WEIGHTS, "cyclegan", ["G_AB", "G_BA"])
    config = shipped.config
    rows = [
        ("task", "`cyclegan`, CMP facades label maps (A) <-> photos (B), 3 channels each way; "
                 "`--direction AtoB` (the default) makes photos, `BtoA` label maps"),
        ("network", f"two ResNet generators of {config['ngf']} channels and {config['blocks']} "
                    f"blocks, {config['upsample']} upsampling; {shipped.parameters:,} "
                    f"parameters, {shipped.described}"),
        ("data", f"the `facades-unpaired` recipe of `{shown(args.facades)}`: label maps of 200 "
                 "training scenes and photos of the other 200 (no pair seen), resized to "
                 f"{config['image_size']} px with the paper's jitter and flips"),
        ("method", f"CycleGAN: LSGAN critics (34x34 PatchGAN), cycle lambda "
                   f"{config['cycle_weight']:g}, identity {config['identity_weight']:g} lambda, "
                   f"pools of {config['pool_size']}, Adam {config['lr']:g} decaying to 0 over "
                   f"the second half, batch {config['batch_size']}"),
        ("training", f"{result['steps']:,} steps, seed {config['seed']}, 1 CPU thread, "
                     + ("" if len(shipped.lineage) < 2 else "the last segment ")
                     + f"{result['seconds'] / 60:.0f} min on "
                     f"{hardware(results.trained_on(BENCH, run / 'model.safetensors'))}"),
        ("test pairs", f"106 held out, labels -> photo against the true photo: L1 "
                       f"{result['l1']:.3f}, PSNR {result['psnr']:.1f} dB, SSIM "
                       f"{result['ssim']:.3f}, KID x1000 {result['kid']:.1f} (random-conv-960)"),
    ]
    write_card(shipped, "The default model of `gantool run cyclegan`: facade label maps to "
               "photos and back, learned without pairs (Zhu et al. 2017).", rows,
               [f"Inputs of any size are resized to a shorter side of {config['image_size']} px "
                "(the side the model trained at; `--side` chooses another), translated and "
                f"resized back to their own size. Sample: `{shown(SAMPLE)}` (a test label map, "
                "never trained on), its photo beside it."], command(args),
               card="MODEL_CARD_cyclegan.md")


def command(args: argparse.Namespace) -> str:
    return (f"uv run python bench/cyclegan_facades.py --facades {shown(args.facades)} "
            f"--ngf {args.ngf} --steps {args.steps} --upsample {args.upsample} --seeds "
            f"{' '.join(map(str, args.seeds))} --methods {' '.join(args.methods)}"
            + ("" if args.init is None else f" --init {shown(args.init)}"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--facades", type=Path, required=True)
    parser.add_argument("--unpaired", type=Path,
                        default=ROOT / "datasets" / "build" / "facades-unpaired")
    parser.add_argument("--runs", type=Path, default=ROOT / "runs" / "cyclegan-facades")
    parser.add_argument("--image-size", type=int, default=128)
    parser.add_argument("--ngf", type=int, default=16, help="generator channels of the first "
                        "layer")
    parser.add_argument("--upsample", choices=["transpose", "resize"], default="resize")
    parser.add_argument("--steps", type=int, default=12000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=list(METHODS))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--score-only", action="store_true")
    parser.add_argument("--keep-warm", type=Path,
                        help="folder to copy each scored run's generators into, for --init")
    parser.add_argument("--init", type=Path, help="train the next segment from these weights "
                        "(a file --keep-warm kept)")
    parser.add_argument("--ship", action="store_true",
                        help="make the first seed's CycleGAN run the default model")
    args = parser.parse_args()
    if args.init is not None and not args.init.is_file():
        raise SystemExit(f"--init {args.init}: no such file; give one that --keep-warm kept")
    torch.set_num_threads(args.threads)
    if not args.unpaired.exists():
        build_unpaired(args.facades, args.unpaired, seed=0)
    for seed in args.seeds:
        for method in args.methods:
            run = run_folder(args, method, seed)
            if not args.score_only:
                train_or_resume(build_game, CycleGANConfig, "cyclegan",
                                options(args, method, seed), run)
            if (run / "model.safetensors").exists():
                result = score(run, args)
                results.append(BENCH, task="cyclegan", method=method,
                               options=options(args, method, seed), seed=seed,
                               steps=result["steps"], wall_seconds=result["seconds"],
                               metrics={k: result[k] for k in [*RECORDED, *LABELS]},
                               weights=run / "model.safetensors")
                print(f"{method}, seed {seed}: PSNR {result['psnr']:.2f}, KID "
                      f"{result['kid']:.1f}", flush=True)
                if args.keep_warm is not None:
                    keep_warm(run, method, seed, args)
    results.append(BENCH, task="cyclegan", method="majority-class",
                   options={"data": args.facades, "image_size": args.image_size}, seed=None,
                   steps=None, wall_seconds=None, metrics=majority_class(args), weights=None)
    first = run_folder(args, "cyclegan", args.seeds[0])
    if (first / "model.safetensors").exists():
        if args.ship:
            ship(first, score(first, args), args)
        grid(first, args)
    elif args.ship:
        raise SystemExit(f"--ship: no CycleGAN run of seed {args.seeds[0]} under {args.runs}")
    write_section(BENCH, table(args))


if __name__ == "__main__":
    main()
