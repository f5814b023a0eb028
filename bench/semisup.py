"""Semi-supervised classification on scikit-learn's digits: test error from 50 and 100 labels.

For each label count and seed, trains three classifiers of one architecture on the same
labelled subset (drawn balanced per class from the seed): supervised-only, the K+1 GAN
(`ssl-gan`) and Triple-GAN (`triple-gan`); all use the 1,297 training digits, unlabelled, and
are scored once, after their fixed budget, on the 500 held-out digits (never seen in training
and never used to pick a model). Copies the generators' sample grids next to the plugin's
README.

Usage: uv run python bench/semisup.py [--labels 50 100] [--seeds 0 1 2] [--threads 1]
Writes the README section `bench:semisup`.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from gantool.config import build
from gantool.data import digits
from gantool.train import train
from gantool_semisup import kplus1, triple
from gantool_semisup.config import SemisupEval, SslGanConfig, TripleGanConfig
from gantool_semisup.evaluation import evaluate_ssl_gan, evaluate_triple_gan
from readme_tables import hardware, write_section

ASSETS = Path(__file__).resolve().parents[1] / "plugins" / "semisup" / "assets"


@dataclass(frozen=True)
class Task:
    """What one method trains and scores with: the task's name, game, config and evaluation."""

    name: str
    build_game: Callable[[Any], Any]
    config: type
    evaluate: Callable[[SemisupEval], list]


SSL_GAN = Task("ssl-gan", kplus1.build_game, SslGanConfig, evaluate_ssl_gan)
TRIPLE_GAN = Task("triple-gan", triple.build_game, TripleGanConfig, evaluate_triple_gan)
METHODS = {  # row label: (task, options)
    "supervised only (same classifier, labels alone)": (SSL_GAN, {"supervised_only": True}),
    "K+1 GAN, feature matching (`ssl-gan`)": (SSL_GAN, {}),
    "Triple-GAN (`triple-gan`)": (TRIPLE_GAN, {}),
}
PAPERS = ["| Improved-GAN, K+1 with feature matching (Salimans et al. 2016) | MNIST, 100 labels "
          "| 0.93 ± 0.07 | 300 epochs of 60,000 digits (180,000 steps of 100), GPU |",
          "| Triple-GAN (Li et al. 2017) | MNIST, 100 labels | 0.91 ± 0.58 | 1,000 epochs of "
          "60,000 digits, GPU |"]


def test_error(task: Task, options: dict, out: Path) -> tuple[float, float]:
    """(held-out error in %, seconds) of one training run."""
    config = build(task.config, options)
    start = time.perf_counter()
    train(lambda: task.build_game(config), config, out, task=task.name, quiet=True)
    seconds = time.perf_counter() - start
    summary = task.evaluate(SemisupEval(weights=out / "model.safetensors"))[0]
    return float(summary.rows[0][3]), seconds


def mean_std(values: list[float]) -> str:
    return f"{statistics.mean(values):.2f} ± {statistics.stdev(values):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--labels", type=int, nargs="+", default=[50, 100])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    errors: dict[tuple[str, int], list[float]] = {}
    seconds: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        data = digits.build(None, Path(tmp) / "digits", seed=0)
        for labels in args.labels:
            for seed in args.seeds:
                for name, (task, extra) in METHODS.items():
                    out = Path(tmp) / f"{task.name}-{labels}-{seed}-{len(extra)}"
                    options = {"data": data, "labels": labels, "seed": seed,
                               "steps": args.steps, "device": "cpu", "threads": args.threads,
                               "checkpoint_every": 0, **extra}
                    error, took = test_error(task, options, out)
                    errors.setdefault((name, labels), []).append(error)
                    seconds.setdefault(name, []).append(took)
                    print(f"{labels} labels, seed {seed}, {name}: {error:.2f} % "
                          f"in {took:.0f} s", flush=True)
                    if seed == args.seeds[0] and labels == args.labels[0] and not extra:
                        ASSETS.mkdir(exist_ok=True)
                        grid = sorted((out / "samples").glob("*.png"))[-1]
                        shutil.copyfile(grid, ASSETS / f"{task.name}-samples.png")
    columns = "".join(f" {n} labels |" for n in args.labels)
    lines = [f"Test error (%) on the 500 held-out digits, mean ± std over seeds "
             f"{', '.join(map(str, args.seeds))}; {args.steps} steps per run (batches of 100 "
             "unlabelled + 100 labelled digits), the model after the last step.", "",
             f"| method |{columns} seconds per run |", "|---|" + "---|" * (len(args.labels) + 1)]
    for name in METHODS:
        cells = "".join(f" {mean_std(errors[name, n])} |" for n in args.labels)
        lines.append(f"| {name} |{cells} {statistics.mean(seconds[name]):.0f} |")
    fewest = min(args.labels)
    baseline = statistics.mean(errors[next(iter(METHODS)), fewest])
    for name in list(METHODS)[1:]:
        error = statistics.mean(errors[name, fewest])
        verdict = "beats" if error < baseline else "does not beat"
        lines.append(f"\nWith {fewest} labels, {name} {verdict} supervised only: "
                     f"{error:.2f} % vs {baseline:.2f} % mean error.")
    lines += ["", f"Seconds are wall time per run on a shared machine. Our budget: {args.steps} "
              f"steps, about {args.steps * 100 // 1297} epochs of the 1,297 training digits "
              "(8x8), on a CPU; the papers' figures, on MNIST:", "",
              "| paper | data | test error (%) | budget |", "|---|---|---|---|", *PAPERS, "",
              "Generator samples after training (seed 0, 50 labels): K+1 GAN (left), "
              "Triple-GAN with one row per class (right). Feature matching gives a good "
              "classifier but poor samples, as Salimans et al. report; Triple-GAN's generator "
              "follows the class but, at this budget, varies little within a class.", "",
              '<img src="plugins/semisup/assets/ssl-gan-samples.png" width="300"> '
              '<img src="plugins/semisup/assets/triple-gan-samples.png" width="300">', "",
              f"Measured on {hardware()} with `uv run python bench/semisup.py "
              f"--threads {args.threads}`."]
    write_section("semisup", "\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
