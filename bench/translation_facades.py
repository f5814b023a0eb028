"""pix2pix on CMP facades, labels -> photo (Isola et al. 2017), the paper's loss ablation.

Each method trains (or resumes) a run under --runs, is scored once after its last step on the
106 test pairs: L1, PSNR and SSIM of the output against the true photo (fidelity), KID x1000
between outputs and true photos in the plugin's offline random-conv feature space (realism),
and the Lab colour-histogram match. One record per scored run goes to
bench/results/translation-facades.jsonl; the README table is rebuilt from those records, so
methods and seeds can be trained one at a time. Also writes a test-set grid PNG
(labels | output of each trained method | truth).

Usage: uv run python bench/translation_facades.py --facades DIR [--steps 25000]
           [--seeds 0] [--methods pix2pix-l1+cgan pix2pix-l1 pix2pix-cgan]
           [--upsample transpose|resize] [--score-only] [--ship]
DIR holds train/ and test/ of 512x256 [photo | label map] JPEGs (the pix2pix tarball's layout).
`--ship` makes the first seed's L1+cGAN run the default model of `gantool run pix2pix`.
Writes the README section `bench:translation-facades`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import torch

import results
from gantool_translation.config import Pix2PixConfig
from gantool_translation.data import jitter_size, load_pairs
from gantool_translation.domains import domain_smoothness
from gantool_translation.evaluation import paired_scores, pix2pix_scores
from gantool_translation.features import get_extractor
from gantool_translation.inference import keep_dropout, translate, translate_at
from gantool_translation.pix2pix import build_game
from gantool_translation.snapshots import write_grid
from gantool_translation.translators import PIX2PIX_WEIGHTS, load_pix2pix
from kept_runs import records, train_or_resume, wall_time
from readme_tables import hardware, shown, write_section
from shipping import ship_networks, write_card

ROOT = Path(__file__).resolve().parents[1]
BENCH = "translation-facades"
GRID = ROOT / "plugins" / "translation" / "assets" / "facades-grid.png"
SAMPLE = ROOT / "datasets" / "samples" / "facade_labels.png"
"""A test label map (never trained on) for `gantool run pix2pix`, and its true photo beside."""
METHODS = {"pix2pix-l1+cgan": {"loss": "l1+cgan"}, "pix2pix-l1": {"loss": "l1"},
           "pix2pix-cgan": {"loss": "cgan"}}
TITLES = {"pix2pix-l1+cgan": "L1 + cGAN (pix2pix)", "pix2pix-l1": "L1 only",
          "pix2pix-cgan": "cGAN only"}
COLUMNS = {"l1": "L1", "psnr": "PSNR dB", "ssim": "SSIM", "kid": "KID x1000",
           "colour_a": "colour a*", "colour_b": "colour b*", "checkerboard": "checkerboard dB"}
RECORDED = [*COLUMNS, "checkerboard_truth"]
"""What a record keeps: the columns, and the true test photos' own checkerboard score."""
PAPER = ("The paper (Isola et al. 2017, section 4.2, Figure 4 and Table 1 on Cityscapes; "
         "facades are shown qualitatively): L1 alone gives reasonable but blurry results, cGAN "
         "alone sharper results with visual artefacts, L1 + cGAN sharp results with fewer "
         "artefacts; the paper reports no PSNR or SSIM for facades.")


def options(args: argparse.Namespace, method: str, seed: int) -> dict:
    """The paper's recipe scaled to 128 px: U-Net (7 levels: 1x1 at the bottleneck, as the
    paper's 8 at 256 px), 34x34 PatchGAN (its 70x70 at 256 px), batch 1, lambda 100, jitter
    (286/256 resize, random crop, flip); --ngf and --depth size the U-Net."""
    return {"data": args.facades, "direction": "BtoA", "image_size": args.image_size,
            "depth": args.depth, "ngf": args.ngf, "ndf": 64, "d_layers": 2, "batch_size": 1,
            "steps": args.steps, "seed": seed, "eval_every": 2500, "checkpoint_every": 2500,
            "log_every": 100, "device": "cpu", "threads": args.threads,
            "upsample": args.upsample, **METHODS[method]}


def run_folder(args: argparse.Namespace, method: str, seed: int) -> Path:
    """Each method, network size, up-sampling and seed its own run, so none resumes another."""
    upsample = "" if args.upsample == "transpose" else f"-{args.upsample}"
    return args.runs / f"{method}-{args.ngf}x{args.depth}{upsample}-s{seed}"


def score(run: Path, args: argparse.Namespace) -> dict:
    """Test-split scores of the run's model (dropout noise on, seeded) and its cost."""
    model = load_pix2pix(run / "model.safetensors")
    (translator,) = model.directions.values()
    pairs = load_pairs(args.facades, "test", model.config.image_size)
    scores = pix2pix_scores(translator, model.multiple, pairs.b, pairs.a,
                            get_extractor("random-conv", None), seed=0)
    log = records(run)
    return {**scores, "seconds": wall_time(log), "steps": max(r["step"] for r in log),
            "pairs": len(pairs.a)}


def grid(runs: dict[str, Path], args: argparse.Namespace, count: int = 6) -> None:
    """labels | each method's output | truth, on the first test pairs."""
    pairs = load_pairs(args.facades, "test", args.image_size)
    labels, truth = pairs.b[:count], pairs.a[:count]
    columns = [labels.float() / 255]
    for run in runs.values():
        model = load_pix2pix(run / "model.safetensors")
        (translator,) = model.directions.values()
        keep_dropout(translator.generator)
        torch.manual_seed(0)
        columns.append(translate(translator, labels, model.multiple))
    GRID.parent.mkdir(exist_ok=True)
    write_grid([*columns, truth.float() / 255], GRID)


def run_sides(args: argparse.Namespace) -> str:
    """What `gantool run`'s side costs: the shipped model on the test label maps at their own
    256 px, translated at the side it trained at or at 256, scored against the true photos."""
    model = load_pix2pix(PIX2PIX_WEIGHTS)
    (translator,) = model.directions.values()
    keep_dropout(translator.generator)
    pairs = load_pairs(args.facades, "test", 256)
    rows = []
    for side, title in ((translator.side, f"at the training side, {translator.side} px (the "
                                          "default)"), (0, "at the input's own 256 px "
                                                          "(`--side 0`)")):
        torch.manual_seed(0)
        output = torch.cat([translate_at(translator, x, model.multiple, side)
                            for x in pairs.b.split(32)])
        scores = paired_scores(output, pairs.a.float() / 255,
                               get_extractor("random-conv", None), seed=0)
        rows.append(f"| {title} | {scores['psnr']:.1f} | {scores['ssim']:.3f} | "
                    f"{scores['kid']:.1f} |")
    return "\n".join(["| shipped pix2pix, 256 px test label maps translated | PSNR dB | SSIM | "
                      "KID x1000 |", "|---|---|---|---|", *rows])


def unet(ngf: int, depth: int, upsample: str) -> str:
    """A U-Net as the tables name it: its width, levels and how it up-samples."""
    return f"{ngf} channels, {depth} levels, {upsample} upsampling"


def cells(row: results.Row) -> str:
    """The row's COLUMNS, mean ± std over its seeds."""
    return " | ".join(row.spread(k, 1 if k in ("psnr", "kid", "checkerboard") else 3)
                      for k in COLUMNS)


def checkerboard_note(recorded: list[dict]) -> str:
    """What the checkerboard column measures, and the true photos' score beside it."""
    truth = [r["metrics"]["checkerboard_truth"] for r in recorded
             if r["metrics"].get("checkerboard_truth") is not None]
    return ("Checkerboard: the power of the outputs' luma spectrum at the frequencies of "
            "period-2 and -4 grid patterns over the power around them, in dB (Odena et al. "
            "2016); the true test photos score "
            + (f"{truth[-1]:.1f} dB" if truth else "– (not yet recorded)")
            + " (0 dB: no peak; every 3 dB doubles the peak's power).")


def table(recorded: list[dict], args: argparse.Namespace) -> str:
    lines = ["| method | U-Net | steps | " + " | ".join(COLUMNS.values())
             + " | wall time per run |", "|---" * (len(COLUMNS) + 4) + "|"]
    measured, missing = [], []
    for size in results.variants(recorded, args, ("ngf", "depth", "steps", "upsample")):
        rows, absent, machines = results.rows_of(recorded, METHODS,
                                                 lambda method, a=size: options(a, method, 0))
        missing += [f"{m} ({size.ngf} x {size.depth})" for m in absent]
        if machines is None:
            continue
        measured.append((size, rows, machines))
    if not measured:
        return results.pending(BENCH, missing) + "\n"
    machines = results.machines([r for _, rows, _ in measured for row in rows.values()
                                 for r in row.records])
    for size, rows, _ in measured:
        for method, row in rows.items():
            lines.append(f"| {row.label(TITLES[method], machines)} | "
                         f"{unet(size.ngf, size.depth, size.upsample)} | {size.steps:,} | "
                         + f"{cells(row)} | {row.wall_seconds() / 60:.0f} min |")
    notes = [*machines.notes(), *([results.pending(BENCH, missing)] if missing else [])]
    seeds = sorted({r["seed"] for _, rows, _ in measured for row in rows.values()
                    for r in row.records})
    lines += ["", *notes, "", f"Mean ± std over seeds {', '.join(map(str, seeds))}, on the "
              "106 test pairs of the standard split, labels -> photo, after the last step. "
              f"Each run: batches of 1 at {args.image_size}x{args.image_size} (the pairs' 256 px "
              "halves resized; 400 steps are one epoch of the training pairs; the paper: 200 "
              "epochs at 256 px), the U-Net of the row (channels of its first level, levels), "
              "34x34 PatchGAN with 64 channels, Adam 2e-4 (beta1 0.5), lambda 100, the paper's "
              "jitter and flips. L1 in [0, 1] units; KID x1000 between outputs and true photos "
              "in the offline random-conv-960 feature space (lower is more realistic); colour: "
              "Lab a*/b* histogram intersection with the true photos (1 = same colours). "
              f"{checkerboard_note(recorded)} {PAPER}", "",
              f"![labels, outputs, truth]({shown(GRID)})", "",
              "The grid, on the first six test pairs: the label map, the output of each method "
              f"trained at the first row's size ({', '.join(TITLES.values())}, where trained), "
              "the true photo.", "",
              f"Measured on {hardware(machines.usual)}, one thread per run (another training "
              "may have shared the machine, so wall times are upper bounds), with "
              f"`{command(args)}` (and `--ngf`, `--depth`, `--steps` of each row).", "",
              "`gantool run` translates an input at the side its model trained at and brings "
              "the output back to the input's size; what that choice is worth on the test "
              "pairs at their original size:", "", run_sides(args)]
    return "\n".join(lines) + "\n"


def command(args: argparse.Namespace) -> str:
    return (f"uv run python bench/translation_facades.py --facades {shown(args.facades)} "
            f"--ngf {args.ngf} --depth {args.depth} --steps {args.steps} --seeds "
            f"{' '.join(map(str, args.seeds))} --methods {' '.join(args.methods)}"
            + ("" if args.upsample == "transpose" else f" --upsample {args.upsample}"))


def ship(run: Path, result: dict, args: argparse.Namespace) -> None:
    """The generator as the default of `gantool run pix2pix`, its card and a test sample."""
    train = load_pairs(args.facades, "train", jitter_size(args.image_size))
    shipped = ship_networks(run, PIX2PIX_WEIGHTS, "pix2pix", ["G"],
                            missing={"smoothness": domain_smoothness(train.a, train.b)})
    name = sorted(p.name for p in (args.facades / "test").iterdir())[0]
    from PIL import Image

    pair = Image.open(args.facades / "test" / name)
    half = pair.width // 2
    pair.crop((half, 0, pair.width, pair.height)).save(SAMPLE)
    pair.crop((0, 0, half, pair.height)).save(SAMPLE.with_name("facade_photo.png"))
    config = shipped.config
    rows = [
        ("task", "`pix2pix`, facade label map (colour-coded classes) -> photo, 3 channels in "
                 "and out, direction BtoA of the pix2pix facades pairs"),
        ("network", f"U-Net generator of {config['depth']} levels, {config['ngf']} channels "
                    f"first, {config['upsample']} upsampling, dropout as noise; "
                    f"{shipped.parameters:,} parameters, "
                    f"{shipped.described}"),
        ("data", f"CMP facades (Tylecek and Sara 2013), the 400 training pairs of "
                 f"`{shown(args.facades)}`, resized to {config['image_size']} px with the "
                 "paper's jitter and flips"),
        ("method", f"L1 + cGAN (lambda {config['l1_weight']:g}), 34x34 PatchGAN, Adam "
                   f"{config['lr']:g}, batch {config['batch_size']}"),
        ("training", f"{result['steps']:,} steps, seed {config['seed']}, 1 CPU thread, "
                     f"{result['seconds'] / 60:.0f} min on "
                     f"{hardware(results.trained_on(BENCH, run / 'model.safetensors'))}"),
        ("test pairs", f"{result['pairs']} held out: L1 {result['l1']:.3f}, PSNR "
                       f"{result['psnr']:.1f} dB, SSIM {result['ssim']:.3f}, KID x1000 "
                       f"{result['kid']:.1f} (random-conv-960)"),
    ]
    write_card(shipped, "The default model of `gantool run pix2pix`: facade label maps "
               "(CMP facades' colour code) to photos, as in Isola et al. 2017.", rows,
               [f"Inputs of any size are resized to a shorter side of {config['image_size']} "
                "px (the side the model trained at; `--side` chooses another), translated and "
                f"resized back to their own size. Sample: `{shown(SAMPLE)}`, test pair {name} "
                "(never trained on), its photo beside it."], command(args),
               card="MODEL_CARD_pix2pix.md")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--facades", type=Path, required=True)
    parser.add_argument("--runs", type=Path, default=ROOT / "runs" / "translation-facades")
    parser.add_argument("--image-size", type=int, default=128)
    parser.add_argument("--ngf", type=int, default=32, help="U-Net channels of the first level")
    parser.add_argument("--depth", type=int, default=7, help="U-Net levels")
    parser.add_argument("--upsample", choices=["transpose", "resize"], default="transpose",
                        help="the U-Net's up-sampling: transposed convolutions (the paper's) or "
                             "a resize and a convolution (no checkerboard)")
    parser.add_argument("--steps", type=int, default=25000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=list(METHODS))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--score-only", action="store_true")
    parser.add_argument("--ship", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    scored: dict[tuple[str, int], dict] = {}
    for seed in args.seeds:
        for method in args.methods:
            run = run_folder(args, method, seed)
            if not args.score_only:
                train_or_resume(build_game, Pix2PixConfig, "pix2pix",
                                options(args, method, seed), run)
            if (run / "model.safetensors").exists():
                scored[method, seed] = result = score(run, args)
                results.append(BENCH, task="pix2pix", method=method,
                               options=options(args, method, seed), seed=seed,
                               steps=result["steps"], wall_seconds=result["seconds"],
                               metrics={k: result[k] for k in RECORDED},
                               weights=run / "model.safetensors")
                print(f"{method}, seed {seed}: PSNR {result['psnr']:.2f}, KID "
                      f"{result['kid']:.1f}", flush=True)
    first = args.seeds[0]
    trained = {m: run_folder(args, m, first) for m in METHODS if (m, first) in scored}
    if trained:
        grid(trained, args)
    if args.ship:
        if ("pix2pix-l1+cgan", first) not in scored:
            raise SystemExit("--ship: no scored pix2pix-l1+cgan run of the first seed")
        ship(trained["pix2pix-l1+cgan"], scored["pix2pix-l1+cgan", first], args)
    write_section(BENCH, table(results.load(BENCH), args))


if __name__ == "__main__":
    main()
