"""Benchmark of the superres plugin: quality on a held-out folder, speed and peak memory.

    uv run python bench/superres.py [--part all|quality|speed] [--data ../shared/data/photos/val]
                                    [--skip-memory]

Quality does not depend on the machine; speed does, so each part has its own section, stamped
with the hardware it ran on: `<!-- bench:superres -->` (quality and targets) and
`<!-- bench:superres-speed -->` (forward, end to end, peak memory) in README.md and
plugins/superres/README.md. The quality table also goes into the shipped weights'
MODEL_CARD.md (`<!-- bench:superres-quality -->`). Each quality row is recorded in
bench/results/superres.jsonl (seed null: the evaluation has no randomness) and the quality table
is rebuilt from those records.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from PIL import Image

import results
from child_env import installed_env
from gantool.images import image_files
from gantool.metadata import read_metadata
from gantool.report import Table
from gantool_superres.config import SuperResEval
from gantool_superres.engines import SMALL_JOB_PIXELS, chosen_precision, load_forward, native_bf16
from gantool_superres.evaluation import (
    BICUBIC,
    GAN_MODEL,
    PSNR_ENSEMBLE,
    PSNR_MODEL,
    SHARP_BICUBIC,
    Scores,
    measure,
    table,
)
from gantool_superres.images import read_rgb
from gantool_superres.metrics import compare
from gantool_superres.resample import downscale
from gantool_superres.torch_engine import make_forward
from gantool_superres.weights import (
    DEFAULT_MODEL,
    SHIPPED,
    WEIGHTS_DIR,
    calibration_file,
    count_parameters,
    load_generator,
)
from readme_tables import RESULTS, hardware, relative, shown, write_section

ROOT = Path(__file__).resolve().parents[1]
GANTOOL = Path(sys.executable).with_name("gantool")
SAMPLE = ROOT / "datasets" / "samples" / "photo.png"
READMES = [RESULTS, ROOT / "plugins" / "superres" / "README.md"]
MODEL_CARD = WEIGHTS_DIR / "MODEL_CARD.md"
BENCH = "superres"
ROWS = (BICUBIC, SHARP_BICUBIC, PSNR_MODEL, GAN_MODEL, PSNR_ENSEMBLE)


def timed(command: list[str], env: dict[str, str] | None = None) -> float:
    """Wall seconds of one child process."""
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


PEAK = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def timed_peak(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (MiB) of a command, measured in a fresh parent process."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK, *command], check=True,
                          capture_output=True, text=True)
    return time.perf_counter() - start, int(done.stdout.split()[-1]) // 1024


def default_route(pixels: int) -> str:
    """What `gantool run superres` runs the default model on, on this CPU, for a job of
    `pixels` input pixels."""
    precision = chosen_precision(SHIPPED[DEFAULT_MODEL], "auto",
                                 small_job=pixels <= SMALL_JOB_PIXELS)
    return "torch, bf16" if precision == "bf16" else f"ONNX Runtime, {precision}"


def end_to_end(repeats: int) -> Table:
    """Process start to file written: the default run, ONNX Runtime in fp32 and int8 from
    cached graphs, the first run for a weights file (it writes the graph), and torch; the
    variants take turns."""
    with tempfile.TemporaryDirectory() as tmp:
        installed = installed_env(Path(tmp))
        cached = {**installed, "GANTOOL_CACHE_DIR": f"{tmp}/cache"}
        command = [str(GANTOOL), "run", "superres", "--input", str(SAMPLE), "--output",
                   f"{tmp}/out.png", "--overwrite"]  # every run after the first replaces it
        fp32_onnx = [*command, "--engine", "onnxruntime", "--precision", "fp32"]
        variants: dict[str, Callable[[int], float]] = {
            "`python -c 'import torch'` alone": lambda i: timed(
                [sys.executable, "-c", "import torch"], installed),
            "`python -c 'import onnxruntime'` alone": lambda i: timed(
                [sys.executable, "-c", "import onnxruntime"], installed),
            f"whole command, default ({default_route(256 * 256)} here)": lambda i: timed(
                command, cached),
            "whole command, `--engine onnxruntime --precision fp32`, graph cached":
                lambda i: timed(fp32_onnx, cached),
            "whole command, `--engine onnxruntime --precision fp32`, first run for these "
            "weights (writes the graph)": lambda i: timed(
                fp32_onnx, {**installed, "GANTOOL_CACHE_DIR": f"{tmp}/cold{i}"}),
            "whole command, `--precision int8`, graph cached": lambda i: timed(
                [*command, "--precision", "int8"], cached),
            "whole command, `--engine torch --precision fp32`": lambda i: timed(
                [*command, "--engine", "torch", "--precision", "fp32"], cached),
        }
        for run in variants.values():  # fills the bytecode cache and writes the graphs once
            run(-1)
        rows: dict[str, list[float]] = {name: [] for name in variants}
        for i in range(repeats):
            for name, run in variants.items():
                rows[name].append(run(i))
    return Table(
        "End-to-end `gantool run superres --input datasets/samples/photo.png` (256x256 -> "
        "1024x1024): process start to PNG written", ["what", "median wall (s)", "runs (s)"],
        [[name, round(statistics.median(times), 2), ", ".join(f"{t:.2f}" for t in times)]
         for name, times in rows.items()],
        [f"default model ({DEFAULT_MODEL}), default tiling; {repeats} runs each after one "
         "warm-up, the variants taking turns, with a bytecode cache as an ordinary install has. "
         "The ONNX graphs (fp32, and int8 from the shipped ranges) are written once per weights "
         "file into the cache (GANTOOL_CACHE_DIR); a run from a cached graph never imports "
         "torch. Through `uv run` each command also pays uv's environment check."])


def _median_seconds(forwards: dict[str, Callable], x: torch.Tensor,
                    repeats: int) -> dict[str, float]:
    """Median time of each forward; they take turns, so a drift in the machine's load (shared
    CPUs drift by tens of percent) falls on all of them alike instead of on whichever ran last."""
    for forward in forwards.values():
        forward(x)
    times: dict[str, list[float]] = {name: [] for name in forwards}
    for _ in range(repeats):
        for name, forward in forwards.items():
            start = time.perf_counter()
            forward(x)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def on_onnx_runtime(threads: int, precision: str = "fp32"
                    ) -> Callable[[torch.Tensor], torch.Tensor]:
    forward, _ = load_forward(SHIPPED[DEFAULT_MODEL], 4, "onnxruntime", precision, threads)
    return lambda batch: torch.from_numpy(forward(batch.numpy()))


def forward_speed(data: Path, repeats: int) -> Table:
    """The shipped default model on one 256x256 input: plain eager torch vs the engines."""
    model = load_generator(SHIPPED[DEFAULT_MODEL], 4)
    x = torch.from_numpy(np.asarray(Image.open(SAMPLE).convert("RGB"), dtype=np.float32) / 255)
    x = x.permute(2, 0, 1)[None].contiguous()
    truths = [read_rgb(p).float()[None] / 255 for p in image_files(data)[:8]]
    truths = [t[..., :t.shape[-2] // 4 * 4, :t.shape[-1] // 4 * 4] for t in truths]

    def plain(batch: torch.Tensor) -> torch.Tensor:
        with torch.no_grad():
            return model(batch)

    def psnr_of(forward) -> float:
        scores = [compare(forward(downscale(t, 4)).float(), t, 4)["psnr"] for t in truths]
        return sum(scores) / len(scores)

    reference_psnr = psnr_of(plain)
    native = native_bf16()
    int8 = calibration_file(SHIPPED[DEFAULT_MODEL]).is_file()
    onnx_name = ("ONNX Runtime, fp32 (--engine onnxruntime --precision fp32"
                 f"{'' if native or int8 else ', default here'})")
    int8_name = f"ONNX Runtime, int8 (--precision int8{'' if native else ', default here'})"
    bf16_name = ("torch inference_mode + channels_last + bf16 autocast (--precision bf16"
                 f"{', default here' if native else '; emulated here'})")
    on_ort = {onnx_name: "fp32", **({int8_name: "int8"} if int8 else {})}
    variants = {
        "plain eager torch (no_grad, NCHW, fp32)": plain,
        "torch inference_mode": make_forward(load_generator(SHIPPED[DEFAULT_MODEL], 4),
                                             channels_last=False),
        "torch inference_mode + channels_last (--engine torch --precision fp32)":
            make_forward(load_generator(SHIPPED[DEFAULT_MODEL], 4)),
        **{name: on_onnx_runtime(0, precision) for name, precision in on_ort.items()},
        bf16_name: make_forward(load_generator(SHIPPED[DEFAULT_MODEL], 4), bf16=True),
    }
    psnr_change = {name: psnr_of(forward) - reference_psnr for name, forward in variants.items()}
    threads = torch.get_num_threads()
    # Emulated bf16 is many times slower: one timed run at full threads shows it.
    slow = {} if native else {bf16_name: variants[bf16_name]}
    measured = []
    for n in sorted({1, threads}):
        torch.set_num_threads(n)
        group = {name: on_onnx_runtime(n, on_ort[name]) if name in on_ort else forward
                 for name, forward in variants.items() if name not in slow}
        measured += [(name, n, s) for name, s in _median_seconds(group, x, repeats).items()]
    torch.set_num_threads(threads)
    measured += [(name, threads, s) for name, s in _median_seconds(slow, x, 1).items()]
    measured.sort(key=lambda m: (list(variants).index(m[0]), m[1]))
    base = next(s for name, n, s in measured if name.startswith("plain") and n == threads)
    rows = [[name, n, round(1000 * s, 1), round(base / s, 2), round(psnr_change[name], 4)]
            for name, n, s in measured]
    return Table("Model forward alone: 256x256 -> 1024x1024", [
        "variant", "threads", "median ms", f"speed-up vs plain eager ({threads} threads)",
        "PSNR change (dB, 8 val images)"],
        rows, [f"{repeats} timed runs after one warm-up (emulated bf16: one), the variants taking "
               "turns; same process, same weights. `--precision auto` runs torch with bf16 on "
               "CPUs with native bf16 (AMX or AVX512-BF16) for jobs over 0.5 megapixels of "
               "input (smaller ones do not repay torch's import: int8), else ONNX Runtime in "
               "int8 where the model ships its int8 ranges (`bench:superres-int8`), else in "
               "fp32; this CPU "
               f"{'has' if native else 'has no'} native bf16."])


def peak_memory() -> Table:
    """A phone photo's upscale: the default run, and ONNX Runtime in fp32 and int8."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "big.jpg"
        photo = Image.open(SAMPLE).convert("RGB").resize((4000, 3000), Image.Resampling.BICUBIC)
        photo.save(source, quality=92)
        del photo
        command = [str(GANTOOL), "run", "superres", "--input", str(source), "--output",
                   f"{tmp}/big_x4.png", "--overwrite"]
        variants = {f"default ({default_route(4000 * 3000)} here)": [],
                    "`--engine onnxruntime --precision fp32`": ["--engine", "onnxruntime",
                                                               "--precision", "fp32"],
                    "`--precision int8`": ["--precision", "int8"]}
        rows = []
        for name, extra in variants.items():
            wall, peak = timed_peak([*command, *extra])
            rows.append([name, peak, round(wall, 1)])
    return Table("4000x3000 JPEG input -> 16000x12000 PNG output, default tiling (256 px)",
                 ["precision", "peak RSS (MiB)", "wall (s)"], rows,
                 ["peak resident memory of the `gantool run superres` process (getrusage); one "
                  "run each, the input chosen as a JPEG of quality 92, which the clean model "
                  "upscales."])


def model_notes() -> list[str]:
    notes = []
    for name, path in SHIPPED.items():
        meta = read_metadata(path)
        params = count_parameters(load_generator(path))
        notes.append(f"{name}: {path.relative_to(ROOT)} ({path.stat().st_size / 1e6:.2f} MB, "
                     f"{params:,} parameters, {meta.get('step')} steps in its last training run, "
                     "architecture "
                     f"{meta.get('architecture')})")
    return notes


def targets(means: Scores) -> str:
    """The two quality targets, met or not, judged on the unrounded means."""
    psnr = {name: mean["psnr"] for name, mean in means.items()}
    gap = {name: abs(100 - 100 * mean["hf_ratio"]) for name, mean in means.items()}
    gain = psnr[PSNR_MODEL] - psnr[BICUBIC]
    closer = gap[GAN_MODEL] < gap[PSNR_MODEL]
    text = (f"Targets: PSNR model at least 1.5 dB above bicubic: {gain:+.3f} dB, "
            f"{'met' if gain >= 1.5 else 'not met'} ({psnr[PSNR_MODEL] - psnr[SHARP_BICUBIC]:+.2f}"
            f" dB above the sharper a = -0.75 bicubic). GAN model closer to the truth's HF energy "
            f"than the PSNR model: texture gap {gap[GAN_MODEL]:.1f} vs {gap[PSNR_MODEL]:.1f} pp, "
            f"{'met' if closer else 'not met'}.")
    if PSNR_ENSEMBLE in psnr:
        text += (f" With `--self-ensemble` (8 passes) the PSNR model is "
                 f"{psnr[PSNR_ENSEMBLE] - psnr[BICUBIC]:+.2f} dB above bicubic.")
    return text + "\n"


def evaluation(options: SuperResEval) -> dict:
    """What defines a quality row besides its method: the data, the scale, how models run."""
    return {"data": options.data, "limit": options.limit, "scale": options.scale,
            "tile": options.tile, "precision": options.precision, "engine": options.engine}


def record_quality(options: SuperResEval, means: Scores, paths: dict[str, Path],
                   count: int) -> None:
    """One record per row: each model (the self-ensemble runs the PSNR model's weights) and each
    bicubic baseline (no weights). The evaluation has no randomness: seed null, no wall time
    (training time is in the model card)."""
    for name, mean in means.items():
        weights = paths.get(PSNR_MODEL if name == PSNR_ENSEMBLE else name)
        step = None if weights is None else read_metadata(weights).get("step")
        results.append(BENCH, task="superres", method=name,
                       options={**evaluation(options), "weights": weights}, seed=None,
                       steps=None if step is None else int(step), wall_seconds=None,
                       metrics={**mean, "images": count}, weights=weights)


def recorded_quality(recorded: list[dict], options: SuperResEval
                     ) -> tuple[Scores, Table, results.Machines]:
    """The unrounded means, the quality table and the machines, from the records of these
    evaluation options; a row measured on another machine is marked."""
    kept = {name: row.records[0] for name in ROWS
            if (row := results.row(recorded, name, evaluation(options))).seeds}
    machines = results.machines(list(kept.values()))
    means = {name: {k: v for k, v in r["metrics"].items() if k != "images"}
             for name, r in kept.items()}
    paths = {name: Path(kept[name]["options"]["weights"]) for name in (PSNR_MODEL, GAN_MODEL)}
    marked = {name + machines.mark([kept[name]]): mean for name, mean in means.items()}
    quality = table(options, marked, paths, int(kept[BICUBIC]["metrics"]["images"]))
    quality.notes += model_notes() + machines.notes()
    return means, quality, machines


def write_quality(data: Path, limit: int, command: str, measured: bool = True) -> None:
    """Measure (unless `measured` is False: the table is rebuilt from the records alone),
    record, and write the quality table."""
    options = SuperResEval(data=data, limit=limit, self_ensemble=True)
    if measured:
        record_quality(options, *measure(options))
    means, quality, machines = recorded_quality(results.load(BENCH), options)
    header = (f"Measured by `{command}` on {hardware(machines.usual)}. The shipped models were "
              "trained on 2 CPU cores with no GPU; data, commands, steps and wall time are in "
              f"{MODEL_CARD.relative_to(ROOT)}. Evaluation has no randomness, so each row is one "
              f"record of `{shown(results.path(BENCH))}` with no seed.\n\n"
              + targets(means) + "\n")
    text = (header + "\n" + quality.to_markdown()).replace(str(data), shown(data))
    print(text)
    for readme in READMES:
        write_section("superres", text, (readme,))
    write_section("superres-quality", (f"Measured by `{command}`.\n\n" + targets(means) + "\n"
                                       + quality.to_markdown()).replace(str(data), shown(data)),
                  (MODEL_CARD,))


def write_speed(data: Path, repeats: int, skip_memory: bool, command: str) -> None:
    tables = [forward_speed(data, repeats), end_to_end(repeats)]
    if not skip_memory:
        tables.append(peak_memory())
    text = (f"Measured by `{command}` on {hardware()}, with the shipped default model.\n\n"
            + "\n".join(t.to_markdown() for t in tables))
    print(text)
    for readme in READMES:
        write_section("superres-speed", text, (readme,))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["all", "quality", "speed"], default="all")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/photos/val")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--limit", type=int, default=0, help="only the first N images")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--score-only", action="store_true",
                        help="quality: rebuild the table from the records, measure nothing")
    args = parser.parse_args()
    data = Path(relative(args.data))  # the data as the records name it (from the root)
    command = " ".join(["uv run python bench/superres.py", *sys.argv[1:]]).replace(
        str(args.data), shown(args.data))
    os.chdir(ROOT)
    if args.part in ("all", "quality"):
        write_quality(data, args.limit, command, measured=not args.score_only)
    if args.part in ("all", "speed"):
        write_speed(data, args.repeats, args.skip_memory, command)


if __name__ == "__main__":
    main()
