"""Benchmark of the superres plugin: quality on a held-out folder, speed and peak memory.

    uv run python bench/superres.py [--data ../shared/data/photos/val] [--skip-memory]

Writes its tables between the `<!-- bench:superres -->` markers of README.md and of
plugins/superres/README.md (only where the markers exist; otherwise it prints them).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from gantool.checkpoint import read_metadata
from gantool.report import Table
from gantool_superres.config import SuperResEval
from gantool_superres.evaluation import evaluate
from gantool_superres.images import image_files, read_rgb
from gantool_superres.inference import make_forward
from gantool_superres.metrics import compare
from gantool_superres.resample import downscale
from gantool_superres.weights import DEFAULT_MODEL, SHIPPED, load_generator

ROOT = Path(__file__).resolve().parents[1]
GANTOOL = Path(sys.executable).with_name("gantool")
SAMPLE = ROOT / "datasets" / "samples" / "photo.png"
READMES = [ROOT / "README.md", ROOT / "plugins" / "superres" / "README.md"]
START, END = "<!-- bench:superres -->", "<!-- /bench:superres -->"


def hardware() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text()
                .splitlines() if line.startswith("model name")), platform.processor())
    return (f"{cpu}, {os.cpu_count()} cores, torch {torch.__version__} "
            f"({torch.get_num_threads()} threads), Python {platform.python_version()}")


def timed(command: list[str]) -> float:
    """Wall seconds of one child process."""
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


PEAK = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def timed_peak(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (MiB) of a command, measured in a fresh parent process."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK, *command], check=True,
                          capture_output=True, text=True)
    return time.perf_counter() - start, int(done.stdout.split()[-1]) // 1024


def end_to_end(repeats: int) -> Table:
    with tempfile.TemporaryDirectory() as tmp:
        import_torch = [timed([sys.executable, "-c", "import torch"]) for _ in range(repeats)]
        runs = [timed([str(GANTOOL), "run", "superres", "--input", str(SAMPLE), "--output",
                       f"{tmp}/out.png"]) for _ in range(repeats)]
    return Table(
        "End-to-end `gantool run superres --input datasets/samples/photo.png` (256x256 -> "
        "1024x1024)", ["what", "median wall (s)", "runs (s)"],
        [["`python -c 'import torch'` alone", round(statistics.median(import_torch), 2),
          ", ".join(f"{t:.2f}" for t in import_torch)],
         ["whole command: process start to PNG written", round(statistics.median(runs), 2),
          ", ".join(f"{t:.2f}" for t in runs)]],
        [f"default model ({DEFAULT_MODEL}), default tiling; {repeats} runs each, median."])


def _median_seconds(fn, x: torch.Tensor, repeats: int) -> float:
    fn(x)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn(x)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def forward_speed(data: Path, repeats: int) -> Table:
    """The shipped default model on one 256x256 input, plain eager vs the run path's settings."""
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
    variants = {
        "plain eager (no_grad, NCHW, fp32)": plain,
        "inference_mode": make_forward(load_generator(SHIPPED[DEFAULT_MODEL], 4),
                                       channels_last=False),
        "inference_mode + channels_last (the run path)": make_forward(
            load_generator(SHIPPED[DEFAULT_MODEL], 4)),
        "inference_mode + channels_last + bf16 autocast": make_forward(
            load_generator(SHIPPED[DEFAULT_MODEL], 4), bf16=True),
    }
    rows = []
    base = None
    threads = torch.get_num_threads()
    for name, forward in variants.items():
        for n in sorted({1, threads}):
            torch.set_num_threads(n)
            seconds = _median_seconds(forward, x, repeats)
            base = base or seconds
            rows.append([name, n, round(1000 * seconds, 1), round(base / seconds, 2),
                         round(psnr_of(forward) - reference_psnr, 4)])
        torch.set_num_threads(threads)
    return Table("Model forward alone: 256x256 -> 1024x1024", [
        "variant", "threads", "median ms", "speed-up vs plain", "PSNR change (dB, 8 val images)"],
        rows, [f"{repeats} timed runs after one warm-up; same process, same weights."])


def peak_memory() -> Table:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "big.jpg"
        photo = Image.open(SAMPLE).convert("RGB").resize((4000, 3000), Image.Resampling.BICUBIC)
        photo.save(source, quality=92)
        del photo
        wall, peak = timed_peak([str(GANTOOL), "run", "superres", "--input", str(source),
                                 "--output", f"{tmp}/big_x4.png"])
    return Table("4000x3000 input -> 16000x12000 output, default tiling (256 px)",
                 ["peak RSS (MiB)", "wall (s)"], [[peak, round(wall, 1)]],
                 ["peak resident memory of the `gantool run superres` process (getrusage)."])


def model_notes() -> list[str]:
    notes = []
    for name, path in SHIPPED.items():
        meta = read_metadata(path)
        notes.append(f"{name}: {path.relative_to(ROOT)} ({path.stat().st_size / 1e6:.1f} MB, "
                     f"{meta.get('step')} training steps, architecture {meta.get('architecture')})")
    return notes


def write_readmes(text: str) -> None:
    block = f"{START}\n{text}\n{END}"
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    for readme in READMES:
        if readme.exists() and pattern.search(readme.read_text()):
            readme.write_text(pattern.sub(lambda _: block, readme.read_text()))
            print(f"updated {readme}")
        else:
            print(f"no {START} markers in {readme}; tables printed above only")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/photos/val")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--limit", type=int, default=0, help="only the first N images")
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()
    command = "uv run python bench/superres.py " + " ".join(sys.argv[1:])
    quality = evaluate(SuperResEval(data=args.data, limit=args.limit))[0]
    quality.notes += model_notes()
    tables = [quality, forward_speed(args.data, args.repeats), end_to_end(args.repeats)]
    if not args.skip_memory:
        tables.append(peak_memory())
    header = (f"Measured by `{command}` on {hardware()}. Models trained on CPU with seed 0 "
              "(budget and commands: plugins/superres/src/gantool_superres/weights/MODEL_CARD.md)"
              "; evaluation has no randomness.\n")
    text = header + "\n" + "\n".join(t.to_markdown() for t in tables)
    print(text)
    write_readmes(text)


if __name__ == "__main__":
    main()
