"""Super-resolution of photos that were saved as JPEG: the clean model against the real-input
model (trained with `--degradation jpeg` or `real`), each against bicubic of the same JPEG, on
held-out photos.

Each held-out photo is downscaled x4 (antialiased bicubic), saved as a JPEG file of each
quality (PIL), and upscaled by bicubic, the shipped clean PSNR model and the real-input model;
the clean PNG inputs are the fourth setting. The figure is the Y-PSNR gain over bicubic of the
same input. One record per method and quality goes to bench/results/superres-jpeg.jsonl, and
the table is rebuilt from them.

Usage: uv run python bench/superres_jpeg.py --data DIR --weights REAL.safetensors
           [--qualities 95 75 50] [--limit N] [--score-only] [--run RUN --ship]
Writes the section `bench:superres-jpeg`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import torch

import results
from gantool.metadata import read_metadata
from gantool_superres.config import SuperResEval
from gantool_superres.evaluation import BICUBIC, PSNR_MODEL, REAL_MODEL, measure
from gantool_superres.weights import CLEAN_FROM_QUALITY, model_for
from readme_tables import hardware, shown, write_section
from shipping import ship_networks, write_card

BENCH = "superres-jpeg"
METHODS = (BICUBIC, PSNR_MODEL, REAL_MODEL)
TARGETS = {75: 1.0, 50: 0.6}
"""Y-PSNR gain over bicubic of the same JPEG the real-input model should reach, by quality."""


def options_of(args: argparse.Namespace, quality: int | None) -> dict:
    return {"data": args.data, "limit": args.limit, "jpeg_quality": quality,
            "weights": args.weights}


def measure_all(args: argparse.Namespace) -> None:
    lineage = read_metadata(args.weights).get("step")
    for quality in [None, *args.qualities]:
        means, _, count = measure(SuperResEval(data=args.data, limit=args.limit,
                                               jpeg_quality=quality,
                                               real_weights=args.weights))
        for method in METHODS:
            results.append(BENCH, task="superres", method=method,
                           options=options_of(args, quality), seed=None,
                           steps=None if lineage is None else int(lineage), wall_seconds=None,
                           metrics={**means[method], "images": count},
                           weights=args.weights if method == REAL_MODEL else None)
        print(f"quality {quality}: " + ", ".join(f"{m} {means[m]['psnr']:.2f}"
                                                 for m in METHODS), flush=True)


def table(args: argparse.Namespace) -> str:
    recorded = results.load(BENCH)
    lines = ["| input | bicubic PSNR-Y dB | clean model, gain dB | real-input model, gain dB "
             "| `gantool run`'s choice | target |", "|---|---|---|---|---|---|"]
    rows = {}
    for quality in [None, *args.qualities]:
        kept = {m: results.row(recorded, m, options_of(args, quality)) for m in METHODS}
        if not all(row.seeds for row in kept.values()):
            continue
        psnr = {m: row.values("psnr")[0] for m, row in kept.items()}
        rows[quality] = psnr
        clean, real = psnr[PSNR_MODEL] - psnr[BICUBIC], psnr[REAL_MODEL] - psnr[BICUBIC]
        if quality is None:
            target = "the clean model's: met (it is the choice)"
        elif quality in TARGETS:
            target = f"+{TARGETS[quality]:.1f} dB: " + ("met" if real >= TARGETS[quality]
                                                        else "not met")
        else:
            target = "–"
        chosen = model_for("PNG" if quality is None else "JPEG", quality)
        lines.append(f"| {'clean PNG' if quality is None else f'JPEG quality {quality}'} | "
                     f"{psnr[BICUBIC]:.2f} | {clean:+.2f} | {real:+.2f} | {chosen} | {target} |")
    if not rows:
        return results.pending(BENCH, list(METHODS)) + "\n"
    every = [r for q in rows for m in METHODS
             for r in results.row(recorded, m, options_of(args, q)).records]
    machines = results.machines(every)
    count = int(every[0]["metrics"]["images"])
    lines += ["", f"{count} held-out photographs of `{shown(args.data)}`, downscaled x4 by "
              "antialiased bicubic and saved as JPEG files of each quality by PIL (4:2:0 "
              "chroma), then upscaled by each method; Y-PSNR (BT.601) with a 4-pixel border "
              "cropped, each model's output made as `gantool run` makes it. Clean model: the "
              "shipped srresnet; real-input model: "
              f"`{shown(args.weights)}` (see its lineage). Evaluation has no randomness. "
              f"Measured on {hardware(machines.usual)} with `{command(args)}`."]
    return "\n".join(lines) + "\n"


def ship(run: Path, args: argparse.Namespace) -> None:
    """The run's generator as the real-input model `gantool run superres` picks for JPEG and
    WebP inputs, with its card; the bench then scores the shipped file."""
    from gantool_superres.weights import REAL_MODEL, SHIPPED, calibration_file
    from kept_runs import records, wall_time

    shipped = ship_networks(run, SHIPPED[REAL_MODEL], "superres", ["G"])
    stale = calibration_file(SHIPPED[REAL_MODEL])
    if stale.exists():  # measured for the weights just replaced
        stale.unlink()
        print(f"removed {stale.name}: measure the new model's int8 ranges with "
              "`bench/superres_int8.py --models srresnet-real --ship`")
    config = shipped.config
    log = records(run)
    steps = max(r["step"] for r in log)
    rows = [
        ("task", "`superres`, x4, colour photographs that were downscaled and saved in a lossy "
                 "format; `gantool run superres` picks it for JPEGs below quality "
                 f"{CLEAN_FROM_QUALITY} and WebP files"),
        ("network", f"the shipped SRResNet's ({config['blocks']} blocks, {config['channels']} "
                    f"channels, {config['upsampler']} tail); {shipped.parameters:,} parameters, "
                    f"{shipped.described}"),
        ("data", f"random {config['patch'] * config['scale']} px crops of "
                 f"`{shown(Path(config['data']))}`, each input "
                 + ("downscaled x4 (antialiased bicubic) and saved as JPEG at a quality drawn "
                    "from 30-95 (`--degradation jpeg`)" if config["degradation"] == "jpeg" else
                    "degraded as a real photo is (`--degradation real`: anisotropic blur, area, "
                    "bilinear or bicubic downscaling, Gaussian or Poisson noise, JPEG at "
                    "quality 30-95)")),
        ("method", f"L1 pixel loss, Adam {config['lr_g']:g}, batches of "
                   f"{config['batch_size']}, EMA of the weights, {started_from(config)}"),
        ("training", f"{steps:,} steps in the last segment, seed {config['seed']}, 1 CPU "
                     f"thread, {wall_time(log) / 60:.0f} min on {hardware()}"),
    ]
    write_card(shipped, "The real-input model of `gantool run superres`: the clean SRResNet "
               "fine-tuned on inputs degraded as the photos people upscale are, for JPEGs "
               f"below quality {CLEAN_FROM_QUALITY} and WebP files.", rows,
               ["Scores against bicubic of the same JPEG, and the clean model's, are in the "
                "results page's table `bench:superres-jpeg`."],
               f"uv run gantool train superres --data {shown(Path(config['data']))} --init "
               f"{init_flag(config)} --degradation {config['degradation']} --pretrain-steps "
               f"{steps} "
               "--adversarial-steps 0 "
               f"--threads 1 --out {shown(run)}\n{command(args)} --run {shown(run)}",
               card="MODEL_CARD_real.md")


def init_flag(config: dict) -> str:
    """The run's `--init` as a command line gives it (a file inside the repository, relative)."""
    return "shipped" if config["init"] == "shipped" else shown(Path(config["init"]))


def started_from(config: dict) -> str:
    """Where the last segment started: the clean model, or an earlier real-input model (a
    chained training: each segment is in the card's training segments)."""
    if config["init"] == "shipped":
        return "started from the clean shipped model (`--init shipped`)"
    return (f"continued from `{init_flag(config)}` (`--init`), the previous segment's "
            "real-input model")


def command(args: argparse.Namespace) -> str:
    return (f"uv run python bench/superres_jpeg.py --data {shown(args.data)} --weights "
            f"{shown(args.weights)} --qualities {' '.join(map(str, args.qualities))}"
            + (f" --limit {args.limit}" if args.limit else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--weights", type=Path, required=True)
    parser.add_argument("--qualities", type=int, nargs="+", default=[95, 75, 50])
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--score-only", action="store_true")
    parser.add_argument("--run", type=Path, default=Path("runs") / "superres-real",
                        help="the training run --ship takes the generator from")
    parser.add_argument("--ship", action="store_true",
                        help="first ship --run's generator as the real-input model (--weights "
                        "should then name the shipped file)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if args.ship:
        ship(args.run, args)
    if not args.score_only:
        measure_all(args)
    write_section(BENCH, table(args))


if __name__ == "__main__":
    main()
