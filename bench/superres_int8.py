"""int8 super-resolution: each shipped model's int8 graph against its fp32 graph, on held-out
photos, and the activation ranges shipped only where int8 loses at most 0.1 dB.

For each shipped model the activation ranges are measured on 32 crops of training photos (a
copy of the weights, so nothing is written beside the shipped file unless `--ship`), then every
held-out photo is downscaled x4 and upscaled by ONNX Runtime in fp32 and in int8, as `gantool
run` does (the real-input model's inputs are saved as JPEG of quality 75 first: its use). One
record per model goes to bench/results/superres-int8.jsonl and the table is rebuilt from them.
With `--ship`, each model within the bound gets its ranges (`NAME.int8.json`) beside its
weights, which makes int8 the default precision for it on CPUs without native bf16, and for
jobs under 0.5 megapixels on those with it.

Usage: uv run python bench/superres_int8.py --train DIR --data DIR [--limit N] [--ship]
           [--score-only]
Writes the section `bench:superres-int8`; forward times are in `bench:superres-speed`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

import results
from gantool.images import image_files
from gantool_superres.evaluation import saved_as_jpeg, upscaled
from gantool_superres.images import read_rgb
from gantool_superres.int8 import CALIBRATION_CROPS, CROP, calibrate, training_crops
from gantool_superres.metrics import compare
from gantool_superres.resample import downscale
from gantool_superres.weights import REAL_MODEL, SHIPPED, calibration_file, check_weights
from readme_tables import hardware, relative, shown, write_section

ROOT = Path(__file__).resolve().parents[1]
BENCH = "superres-int8"
BOUND = 0.1
"""The most Y-PSNR (dB) int8 may lose against fp32 for its ranges to ship."""
INPUT_QUALITY = {REAL_MODEL: 75}
"""Models scored on JPEG-saved inputs, and the quality: the inputs `gantool run` gives them."""


def options_of(args: argparse.Namespace, model: str) -> dict:
    return {"data": args.data, "train": args.train, "limit": args.limit,
            "crops": CALIBRATION_CROPS, "crop": CROP, "jpeg_quality": INPUT_QUALITY.get(model)}


def measure(args: argparse.Namespace, model: str, folder: Path) -> None:
    """Calibrate a copy of `model`'s weights in `folder`, score fp32 and int8, record."""
    from gantool_superres.engines import load_forward

    weights = Path(shutil.copy(SHIPPED[model], folder))
    start = time.perf_counter()
    calibrate(weights, check_weights(weights, 4), training_crops(args.train, 4))
    seconds = time.perf_counter() - start
    forwards = {precision: load_forward(weights, 4, "onnxruntime", precision, threads=1)
                for precision in ("fp32", "int8")}
    quality = INPUT_QUALITY.get(model)
    psnr: dict[str, list[float]] = {precision: [] for precision in forwards}
    for path in image_files(args.data)[:args.limit or None]:
        truth = read_rgb(path).float()[None] / 255
        truth = truth[..., :truth.shape[-2] // 4 * 4, :truth.shape[-1] // 4 * 4]
        lr = downscale(truth, 4)
        if quality:
            lr = saved_as_jpeg(lr, quality)
        for precision, (forward, pad) in forwards.items():
            psnr[precision].append(compare(upscaled(forward, lr, 4, 256, pad), truth, 4)["psnr"])
    means = {precision: sum(values) / len(values) for precision, values in psnr.items()}
    change = means["int8"] - means["fp32"]
    results.append(BENCH, task="superres", method=model, options=options_of(args, model),
                   seed=0, steps=None, wall_seconds=seconds,
                   metrics={"fp32_psnr": means["fp32"], "int8_psnr": means["int8"],
                            "change": change, "images": len(psnr["fp32"])},
                   weights=SHIPPED[model])
    print(f"{model}: fp32 {means['fp32']:.3f} dB, int8 {means['int8']:.3f} dB "
          f"({change:+.3f})", flush=True)
    if args.ship and change >= -BOUND:
        shutil.copy(calibration_file(weights), calibration_file(SHIPPED[model]))
        print(f"shipped {calibration_file(SHIPPED[model]).name}", flush=True)


def table(args: argparse.Namespace) -> str:
    recorded = results.load(BENCH)
    kept = {model: row for model in SHIPPED
            if (row := results.row(recorded, model, options_of(args, model))).seeds}
    if not kept:
        return results.pending(BENCH, list(SHIPPED)) + "\n"
    lines = ["| model | inputs | fp32 PSNR-Y dB | int8 PSNR-Y dB | change dB | within "
             f"{BOUND} dB: int8 ranges shipped |", "|---|---|---|---|---|---|"]
    for model, row in kept.items():
        metrics = row.records[0]["metrics"]
        quality = INPUT_QUALITY.get(model)
        inputs = f"JPEG quality {quality}" if quality else "clean PNG"
        shipped = calibration_file(SHIPPED[model]).is_file()
        within = metrics["change"] >= -BOUND
        lines.append(f"| {model} | {inputs} | {metrics['fp32_psnr']:.3f} | "
                     f"{metrics['int8_psnr']:.3f} | {metrics['change']:+.3f} | "
                     f"{'yes' if within else 'no'}, {'shipped' if shipped else 'not shipped'} |")
    every = [r for row in kept.values() for r in row.records]
    machines = results.machines(every)
    count = int(every[0]["metrics"]["images"])
    lines += ["", f"{count} held-out photographs of `{shown(args.data)}`, downscaled x4 "
              "(antialiased bicubic), upscaled by ONNX Runtime from the same weights in fp32 "
              "and in int8, tiled as `gantool run` tiles; Y-PSNR (BT.601), 4-pixel border "
              "cropped. int8: QDQ graph by ONNX Runtime's static quantizer, weights per output "
              "channel (int8), activations per tensor (uint8) with MinMax ranges from "
              f"{CALIBRATION_CROPS} random {CROP} px low-resolution crops of "
              f"`{shown(args.train)}` (seed 0); the first convolution, the bicubic skip and "
              "the tail stay fp32. Where the ranges ship, `--precision auto` runs int8 on CPUs "
              "without native bf16, and with it for jobs under 0.5 megapixels of input (bf16 "
              "is faster on larger ones: `bench:superres-speed`). "
              f"Measured on {hardware(machines.usual)} with `{command(args)}`."]
    return "\n".join(lines) + "\n"


def command(args: argparse.Namespace) -> str:
    return (f"uv run python bench/superres_int8.py --train {shown(args.train)} --data "
            f"{shown(args.data)}" + (f" --limit {args.limit}" if args.limit else "")
            + (" --ship" if args.ship else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, required=True,
                        help="training photos, for the activation ranges")
    parser.add_argument("--data", type=Path, required=True, help="held-out photos")
    parser.add_argument("--limit", type=int, default=0, help="only the first N images")
    parser.add_argument("--models", nargs="+", choices=list(SHIPPED), default=list(SHIPPED))
    parser.add_argument("--ship", action="store_true",
                        help="write the ranges beside each shipped model within the bound")
    parser.add_argument("--score-only", action="store_true",
                        help="rebuild the table from the records, measure nothing")
    args = parser.parse_args()
    args.train, args.data = Path(relative(args.train)), Path(relative(args.data))
    os.chdir(ROOT)  # the records name the data as seen from the root
    if not args.score_only:
        with tempfile.TemporaryDirectory() as tmp:
            for model in args.models:
                if args.ship:
                    calibration_file(SHIPPED[model]).unlink(missing_ok=True)
                folder = Path(tmp) / model
                folder.mkdir()
                measure(args, model, folder)
    text = table(args)
    print(text)
    write_section(BENCH, text)


if __name__ == "__main__":
    main()
