"""Domain adaptation (DANN) on shifted digits: source-only, DANN and train-on-target.

Builds the data with the plugin's recipes (scikit-learn's digits as source, `digits-m` as
target; and `digits-printed` -> handwritten digits), trains the three modes of the `dann` task
with the same networks, steps and batch for each seed, and scores each on the held-out target
test split (500 digits). Also writes the embedding plot of seed 0 (source-only vs DANN
features) to plugins/dann/docs/.

Usage: uv run python bench/dann.py [--shift digits-m|printed] [--photos DIR] [--steps N]
                                   [--seeds 0 1 2] [--jobs 2]
Writes the README section `bench:dann` (digits-m) or `bench:dann-printed` in
plugins/dann/README.md (printed).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import torch

from readme_tables import RESULTS, hardware, shown, write_section

ROOT = Path(__file__).resolve().parents[1]
PLOT = ROOT / "plugins" / "dann" / "docs" / "embedding-digits-m.png"
MODES = ("source-only", "dann", "target-only")
PAPER = {"source-only": "52.25", "dann": "76.66", "target-only": "95.96"}
SHIFTS = {"digits-m": ("digits", "digits-m"), "printed": ("digits-printed", "digits")}
SHIFT_TITLES = {"digits-m": "scikit-learn digits -> digits-M",
                "printed": "digits-printed -> scikit-learn's handwritten digits"}
SECTIONS = {"digits-m": (RESULTS, "dann"),
            "printed": (ROOT / "plugins" / "dann" / "README.md", "dann-printed")}
"""Where each shift's table goes: the main shift in the results page, the second one in
the plugin's README (one shift a run keeps each run within about ten minutes)."""


def build_data(root: Path, shift: str, photos: Path | None) -> tuple[Path, Path]:
    """(source, target) folders of `shift`, built with the recipes (seed 0)."""
    from gantool.data import digits
    from gantool_dann.recipes import blend, printed

    recipes = {"digits": lambda out: digits.build(None, out, 0),
               "digits-m": lambda out: blend.build(photos, out, 0),
               "digits-printed": lambda out: printed.build(None, out, 0)}
    source, target = SHIFTS[shift]
    return recipes[source](root / source), recipes[target](root / target)


def train_one(job: dict) -> dict:
    """One training run in its own process (one torch thread): metrics, PAD, wall time."""
    from gantool.config import build
    from gantool.train import train
    from gantool_dann.config import DannConfig, DannEval
    from gantool_dann.evaluation import evaluate
    from gantool_dann.training import build_game

    torch.set_num_threads(1)
    config = build(DannConfig, job["config"])
    start = time.perf_counter()
    metrics = train(lambda: build_game(config), config, Path(job["out"]), task="dann", quiet=True)
    seconds = time.perf_counter() - start
    table = evaluate(DannEval(weights=Path(job["out"]) / "model.safetensors",
                              embedding="pca", plot=Path(job["out"]) / "pca.png"))[0]
    return {**job, **metrics, "pad": table.rows[-1][-1], "seconds": seconds}


def mean_std(values: list[float], digits: int = 1) -> str:
    std = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.{digits}f} ± {std:.{digits}f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--photos", type=Path, default=None,
                        help="photographs for digits-M (default: scikit-learn's two samples)")
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--image-size", type=int, default=16)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--shift", default="digits-m", choices=list(SHIFTS))
    parser.add_argument("--jobs", type=int, default=2, help="parallel runs (one thread each)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        source, target = build_data(Path(tmp) / "data", args.shift, args.photos)
        jobs = [{"mode": mode, "seed": seed, "out": f"{tmp}/{mode}-{seed}",
                 "config": {"source": source, "target": target, "mode": mode, "seed": seed,
                            "steps": args.steps, "batch_size": args.batch_size,
                            "image_size": args.image_size, "device": "cpu", "threads": 1,
                            "checkpoint_every": 0}}
                for mode in MODES for seed in args.seeds]
        with ProcessPoolExecutor(args.jobs) as pool:
            results = []
            for result in pool.map(train_one, jobs):
                print(f"{result['mode']} seed {result['seed']}: target "
                      f"{result['target_acc']:.1f}%, source {result['source_acc']:.1f}%, PAD "
                      f"{result['pad']:.2f}, {result['seconds']:.0f} s", flush=True)
                results.append(result)
        if args.shift == "digits-m":
            write_plot(tmp, args.seeds[0])
    body = table(results, args, time.perf_counter() - started)
    readme, section = SECTIONS[args.shift]
    write_section(section, body, (readme,))
    print(body)


def write_plot(tmp: str, seed: int) -> None:
    from gantool_dann.config import DannEval
    from gantool_dann.evaluation import evaluate

    PLOT.parent.mkdir(exist_ok=True)
    evaluate(DannEval(weights=Path(f"{tmp}/dann-{seed}/model.safetensors"),
                      baseline=Path(f"{tmp}/source-only-{seed}/model.safetensors"),
                      plot=PLOT, seed=seed))


def table(results: list[dict], args: argparse.Namespace, total: float) -> str:
    from gantool.config import build
    from gantool_dann.config import DannConfig

    config = build(DannConfig, {"source": ".", "target": "."})
    optimizer = (f"{config.optimizer} (lr {config.lr:g} annealed as mu_0 / (1 + 10 p)^0.75, "
                 f"lambda_p = 2 / (1 + exp(-10 p)) - 1)")
    paper = args.shift == "digits-m"
    lines = ["| model | target test acc % | source test acc % | proxy A-distance |"
             + (" paper, MNIST -> MNIST-M, target acc % |" if paper else ""),
             "|---|---|---|---|" + ("---|" if paper else "")]
    for mode in MODES:
        runs = [r for r in results if r["mode"] == mode]
        lines.append(f"| {mode} | {mean_std([r['target_acc'] for r in runs])} | "
                     f"{mean_std([r['source_acc'] for r in runs])} | "
                     f"{mean_std([r['pad'] for r in runs], 2)} |"
                     + (f" {PAPER[mode]} |" if paper else ""))
    seconds = [r["seconds"] for r in results]
    mean = {mode: statistics.mean(r["target_acc"] for r in results if r["mode"] == mode)
            for mode in MODES}
    closed = 100 * (mean["dann"] - mean["source-only"]) / (mean["target-only"]
                                                          - mean["source-only"])
    paper_closed = 100 * (76.66 - 52.25) / (95.96 - 52.25)
    lines += [
        "",
        f"DANN closes {closed:.0f}% of the source-only to train-on-target gap in target "
        "accuracy" + (f" (the paper: {paper_closed:.0f}%)." if paper else "."),
        "",
        f"Shift: {SHIFT_TITLES[args.shift]}. Mean ± std over seeds "
        f"{', '.join(map(str, args.seeds))}; accuracy on the held-out "
        "target test split (500 digits, never trained on; target labels are used only by "
        "train-on-target). Budget per run: "
        f"{args.steps} steps of {args.batch_size} source + {args.batch_size} target images "
        f"at {args.image_size}x{args.image_size}, {optimizer}, 1 CPU thread; "
        f"{statistics.mean(seconds):.0f} s per run on average ({min(seconds):.0f}-"
        f"{max(seconds):.0f} s), {len(results)} runs, {args.jobs} at a time, "
        f"{total / 60:.1f} min in all. The paper trains far longer on 60,000 MNIST digits at "
        f"28x28. Hardware: {hardware()}.",
        "Measured by `uv run python bench/dann.py"
        + (f" --shift {args.shift}" if args.shift != "digits-m" else "")
        + (f" --photos {shown(args.photos)}" if args.photos else "") + "`.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
