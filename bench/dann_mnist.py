"""Domain adaptation as Ganin et al. (2016) ran it: MNIST -> MNIST-M, source-only, DANN and
train-on-target with one network (the paper's MNIST CNN) and one budget.

MNIST-M is built by the `mnist-m` recipe from the MNIST idx files and a folder of colour
photos (into datasets/build/mnist-m, once). Each run is trained on the 60,000 MNIST training
digits (labelled) and the 60,000 MNIST-M training images (unlabelled; labelled only for
train-on-target) and scored once, after its last step, on the 10,000 MNIST-M test images: never
used to steer or pick a run. Runs are kept under --runs and resume, so the budget can be
extended across sessions. `--ship` makes the DANN run of the first seed (chosen before
training, not by its score) the default model of `gantool run dann`, with its model card.

Usage: uv run python bench/dann_mnist.py --mnist ../shared/data/mnist
           --photos ../shared/data/photos/train [--steps 6000] [--seeds 0 1 2] [--ship]
Writes the README section `bench:dann-mnist`.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

import torch

from gantool.checkpoint import load_weights, save_weights
from gantool_dann.config import DannConfig, DannEval
from gantool_dann.evaluation import evaluate
from gantool_dann.inference import SHIPPED
from gantool_dann.recipes import mnist_m
from gantool_dann.training import build_game
from kept_runs import records, train_or_resume, wall_time
from readme_tables import hardware, shown, write_section

ROOT = Path(__file__).resolve().parents[1]
MODES = ("source-only", "dann", "target-only")
PAPER = {"source-only": 52.25, "dann": 76.66, "target-only": 95.96}
"""Ganin et al. 2016 (JMLR), Table 2, MNIST -> MNIST-M."""
NETWORK = {"architecture": "paper", "batch_size": 64, "image_size": 28, "optimizer": "sgd",
           "lr": 0.01}
"""The paper's network, batch and optimizer (SGD, momentum 0.9, lr 0.01 annealed)."""


def mnist_m_folder(mnist: Path, photos: Path, out: Path) -> Path:
    """The MNIST-M the recipe builds from these folders (seed 0), built once."""
    info = out / "info.json"
    if info.exists():
        built = json.loads(info.read_text())
        if built["photos"] == str(photos) and built["seed"] == 0:
            return out
        raise SystemExit(f"{out} holds an MNIST-M built from other photos; remove it")
    return mnist_m.build((mnist, photos), out, 0)


def score(run: Path) -> dict:
    """Test accuracies (%) and the proxy A-distance of the run's features, and its cost."""
    table = evaluate(DannEval(weights=run / "model.safetensors", embedding="pca"))[0]
    _, source_acc, target_acc, pad = table.rows[-1]
    log = records(run)
    steps = max(r["step"] for r in log)
    return {"source": source_acc, "target": target_acc, "pad": pad, "seconds": wall_time(log),
            "steps": steps}


def cell(values: list[float], digits: int = 1) -> str:
    if len(values) == 1:
        return f"{values[0]:.{digits}f} (1 seed)"
    return f"{statistics.mean(values):.{digits}f} ± {statistics.stdev(values):.{digits}f}"


def batch_images(mode: str) -> int:
    """Images a training step reads: DANN a source and a target batch, the baselines one."""
    return NETWORK["batch_size"] * (2 if mode == "dann" else 1)


def table(results: dict[tuple[str, int], dict], args: argparse.Namespace) -> str:
    lines = ["| model | MNIST-M test acc % | MNIST test acc % | proxy A-distance | wall time "
             "per run | training images/s | paper, MNIST-M acc % |", "|---" * 7 + "|"]
    mean = {}
    for mode in MODES:
        runs = [r for (m, _), r in results.items() if m == mode]
        if not runs:
            continue
        mean[mode] = statistics.mean(r["target"] for r in runs)
        minutes = statistics.mean(r["seconds"] for r in runs) / 60
        speed = statistics.mean(r["steps"] * batch_images(mode) / r["seconds"] for r in runs)
        lines.append(f"| {mode} | {cell([r['target'] for r in runs])} | "
                     f"{cell([r['source'] for r in runs])} | "
                     f"{cell([r['pad'] for r in runs], 2)} | {minutes:.0f} min | {speed:.0f} | "
                     f"{PAPER[mode]:.2f} |")
    if len(mean) == len(MODES):
        closed = 100 * (mean["dann"] - mean["source-only"]) / (mean["target-only"]
                                                              - mean["source-only"])
        paper = 100 * (PAPER["dann"] - PAPER["source-only"]) / (PAPER["target-only"]
                                                               - PAPER["source-only"])
        lines += ["", f"DANN closes {closed:.0f}% of the source-only to train-on-target gap "
                      f"(the paper: {paper:.0f}%)."]
    config = DannConfig(source=Path("."), target=Path("."), optimizer=NETWORK["optimizer"],
                        lr=NETWORK["lr"])
    lines += [
        "", f"Mean ± std over seeds {', '.join(map(str, args.seeds))}: accuracy on the 10,000 "
        "MNIST-M (and MNIST) test images after the last step, never used to pick a run. "
        f"Budget per run: {args.steps:,} steps of {NETWORK['batch_size']} MNIST + "
        f"{NETWORK['batch_size']} MNIST-M images (28x28 RGB; MNIST grey repeated), the paper's "
        f"CNN (5x5 convolutions 32-48, classifiers 100-100 and 100), {config.optimizer} "
        f"(momentum {config.momentum}) lr {config.lr:g} annealed as mu_0 / (1 + 10 p)^0.75, "
        "lambda_p = 2 / (1 + exp(-10 p)) - 1; the same networks, steps and batch for the "
        "three modes (wall time includes the evaluations every 1,000 steps). MNIST-M here is the "
        "recipe's (`gantool data build mnist-m`), from "
        f"{shown(args.photos)} rather than BSDS500, so the figures are near the paper's "
        "protocol, not its data.",
        f"Measured on {hardware()}, 1 thread per run, one run at a time, with "
        f"`{command(args)}`."]
    return "\n".join(lines) + "\n"


def command(args: argparse.Namespace) -> str:
    return (f"uv run python bench/dann_mnist.py --mnist {shown(args.mnist)} --photos "
            f"{shown(args.photos)} --steps {args.steps} --seeds "
            f"{' '.join(map(str, args.seeds))}")


def ship(run: Path, result: dict, command: str) -> None:
    """The run's feature extractor and label classifier (what `gantool run` needs)."""
    SHIPPED.parent.mkdir(exist_ok=True)
    tensors, metadata = load_weights(run / "model.safetensors", "dann")
    save_weights(SHIPPED, tensors, metadata)
    config = json.loads(metadata["config"])
    size = SHIPPED.stat().st_size / 1e6
    rows = [
        ("task", "`dann`, 10 classes (digits 0-9), input 3x28x28 RGB in [0, 1]"),
        ("network", f"the paper's MNIST CNN: features (5x5 conv 32, pool, 5x5 conv "
                    f"{config['features']}, pool) and label classifier ({config['hidden']}-"
                    f"{config['hidden']}-10); {sum(t.numel() for t in tensors.values()):,} "
                    f"parameters, {size:.1f} MB float32 safetensors"),
        ("data", "source MNIST (60,000 labelled training digits, `../shared/data/mnist`); "
                 "target MNIST-M built by `gantool data build mnist-m` from those digits and "
                 "`../shared/data/photos/train` (60,000 unlabelled training images)"),
        ("method", f"DANN (gradient reversal), {config['optimizer']} lr {config['lr']}, "
                   f"batches of {config['batch_size']} + {config['batch_size']}"),
        ("training", f"{result['steps']:,} steps, seed {config['seed']}, 1 CPU thread, "
                     f"{result['seconds'] / 60:.0f} min on {hardware()}"),
        ("picked", "the DANN run of the first seed, chosen before training"),
        ("accuracy", f"**{result['target']:.2f} %** on the 10,000 MNIST-M test images, "
                     f"{result['source']:.2f} % on the 10,000 MNIST test digits"),
    ]
    card = "\n".join([
        f"# {SHIPPED.name}", "",
        "The default model of `gantool run dann`: a digit classifier trained on labelled "
        "MNIST and adapted, without labels, to MNIST-M (digits on colour photo textures), as "
        "Ganin et al. 2016.", "",
        "| | |", "| --- | --- |", *[f"| {key} | {value} |" for key, value in rows], "",
        "Inputs of another size are resized to 28x28 and grey ones repeated to RGB, with a "
        "notice.", "", "Command (it builds MNIST-M, trains, resumes stopped runs, scores and "
        "ships):", "", "```bash", f"{command} --ship", "```", ""])
    SHIPPED.with_name("MODEL_CARD.md").write_text(card)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mnist", type=Path, required=True)
    parser.add_argument("--photos", type=Path, required=True)
    parser.add_argument("--data", type=Path, default=ROOT / "datasets" / "build" / "mnist-m")
    parser.add_argument("--runs", type=Path, default=ROOT / "runs" / "dann-mnist")
    parser.add_argument("--steps", type=int, default=6000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--score-only", action="store_true",
                        help="score the runs that finished, train nothing")
    parser.add_argument("--ship", action="store_true",
                        help="make the first seed's DANN run the default of `gantool run dann`")
    args = parser.parse_args()
    torch.set_num_threads(1)
    target = mnist_m_folder(args.mnist, args.photos, args.data)
    results = {}
    for seed in args.seeds:
        for mode in ("dann", "source-only", "target-only"):
            run = args.runs / f"{mode}-s{seed}"
            options = {"source": args.mnist, "target": target, "mode": mode, "seed": seed,
                       "steps": args.steps, "device": "cpu", "threads": 1,
                       "eval_every": 1000, "checkpoint_every": 1000, "log_every": 200,
                       **NETWORK}
            if not args.score_only:
                train_or_resume(build_game, DannConfig, "dann", options, run)
            if (run / "model.safetensors").exists():
                results[mode, seed] = result = score(run)
                print(f"{mode}, seed {seed}: MNIST-M {result['target']:.2f} %, MNIST "
                      f"{result['source']:.2f} % ({result['seconds'] / 60:.1f} min)",
                      flush=True)
    if args.ship:
        seed = args.seeds[0]
        ship(args.runs / f"dann-s{seed}", results["dann", seed], command(args))
    body = table(results, args)
    write_section("dann-mnist", body)
    print(body)


if __name__ == "__main__":
    main()
