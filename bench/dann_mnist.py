"""Domain adaptation as Ganin et al. (2016) ran it: MNIST -> MNIST-M, source-only, DANN and
train-on-target with one network (the paper's MNIST CNN) and one budget.

MNIST-M is built by the `mnist-m` recipe from the MNIST idx files and a folder of colour
photos (into datasets/build/mnist-m, once). Each run is trained on the 60,000 MNIST training
digits (labelled) and the 60,000 MNIST-M training images (unlabelled; labelled only for
train-on-target) and scored once, after its last step, on the 10,000 MNIST-M test images: never
used to steer or pick a run. Runs are kept under --runs and resume, so the budget can be
extended across sessions. `--ship` makes the DANN run of the first seed (chosen before
training, not by its score) the default model of `gantool run dann`, with its model card.
Each scored run is recorded in bench/results/dann-mnist.jsonl and the table is rebuilt from the
records of this budget: one seed or mode at a time adds to it, and `--score-only` rebuilds it
even with no run kept.

Usage: uv run python bench/dann_mnist.py --mnist ../shared/data/mnist
           --photos ../shared/data/photos/train [--steps 6000] [--seeds 0 1 2]
           [--methods dann source-only target-only] [--ship]
Writes the README section `bench:dann-mnist`.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
from pathlib import Path

import torch

import results
from gantool_dann.config import DannConfig, DannEval
from gantool_dann.evaluation import evaluate
from gantool_dann.inference import SHIPPED
from gantool_dann.recipes import mnist_m
from gantool_dann.training import build_game
from kept_runs import records, train_or_resume, wall_time
from readme_tables import hardware, shown, write_section
from shipping import ship_networks, write_card

ROOT = Path(__file__).resolve().parents[1]
BENCH = "dann-mnist"
MODES = ("source-only", "dann", "target-only")
PAPER = {"source-only": 52.25, "dann": 76.66, "target-only": 95.96}
"""Ganin et al. 2016 (JMLR), Table 2, MNIST -> MNIST-M."""
RECIPES = {
    "paper": {"architecture": "paper", "batch_size": 64, "image_size": 28, "optimizer": "sgd",
              "lr": 0.01},
    "adam-bn": {"architecture": "paper", "batch_size": 64, "image_size": 28,
                "optimizer": "adam", "lr": 1e-3, "batch_norm": True, "dropout": 0.5,
                "first": 64, "features": 50},
}
"""The paper's network, batch and optimizer (SGD, momentum 0.9, lr 0.01 annealed), and the
recipe of the public re-implementations that reach 84-91 % (fungtion/DANN: convolutions of 64
and 50 channels with batch norm and dropout, Adam 1e-3), on the same batch and schedule."""
WORDS = {"paper": "the paper's CNN (5x5 convolutions 32-48, classifiers 100-100 and 100), sgd "
                  "(momentum 0.9) lr 0.01",
         "adam-bn": "the public re-implementations' CNN (5x5 convolutions 64-50 with batch norm, "
                    "dropout 0.5 on the features and the label classifier's hidden layers, "
                    "classifiers 100-100 and 100), adam (beta1 0.9) lr 0.001"}

DEFAULT_STEPS = 6000


def mnist_m_folder(mnist: Path, photos: Path, out: Path) -> Path:
    """The MNIST-M the recipe builds from these folders (seed 0), built once."""
    info = out / "info.json"
    if info.exists():
        built = json.loads(info.read_text())
        if built["photos"] == str(photos) and built["seed"] == 0:
            return out
        raise SystemExit(f"{out} holds an MNIST-M built from other photos; remove it")
    return mnist_m.build((mnist, photos), out, 0)


def options(args: argparse.Namespace, mode: str, seed: int) -> dict:
    return {"source": args.mnist, "target": args.data, "mode": mode, "seed": seed,
            "steps": args.steps, "device": "cpu", "threads": 1, "eval_every": 1000,
            "checkpoint_every": 1000, "log_every": 200, **RECIPES[args.recipe]}


def score(run: Path) -> dict:
    """Test accuracies (%) and the proxy A-distance of the run's features, and its cost."""
    table = evaluate(DannEval(weights=run / "model.safetensors", embedding="pca"))[0]
    _, source_acc, target_acc, pad = table.rows[-1]
    log = records(run)
    steps = max(r["step"] for r in log)
    return {"source": source_acc, "target": target_acc, "pad": pad, "seconds": wall_time(log),
            "steps": steps}


def run_folder(args: argparse.Namespace, mode: str, seed: int) -> Path:
    """One folder per mode, recipe, budget and seed (the paper's recipe and the default budget
    keep their earlier names), so a longer budget never resumes a shorter one's run."""
    recipe = "" if args.recipe == "paper" else f"-{args.recipe}"
    budget = "" if args.steps == DEFAULT_STEPS else f"-{args.steps}steps"
    return args.runs / f"{mode}{recipe}{budget}-s{seed}"


def batch_images(mode: str, args: argparse.Namespace) -> int:
    """Images a training step reads: DANN a source and a target batch, the baselines one."""
    return RECIPES[args.recipe]["batch_size"] * (2 if mode == "dann" else 1)


def tables(recorded: list[dict], args: argparse.Namespace) -> str:
    """A table per recipe and budget with records (the invocation's first), so neither a
    recipe's runs nor a longer budget's hide another's."""
    budgets = [(args.recipe, args.steps), *dict.fromkeys(
        (recipe, r["options"]["steps"]) for r in recorded for recipe in RECIPES)]
    parts = []
    for recipe, steps in dict.fromkeys(budgets):
        budget_args = copy.copy(args)
        budget_args.recipe, budget_args.steps = recipe, steps
        if results.rows_of(recorded, MODES, lambda m, a=budget_args: options(a, m, 0))[2]:
            parts.append(f"**Recipe `{recipe}`, {steps:,} steps**\n\n"
                         + table(recorded, budget_args))
    return "\n".join(parts) or table(recorded, args)


def table(recorded: list[dict], args: argparse.Namespace) -> str:
    """The modes' rows of the records with this invocation's budget, whatever seeds and modes
    it ran."""
    rows, missing, machines = results.rows_of(recorded, MODES,
                                              lambda method: options(args, method, 0))
    if machines is None:
        return results.pending(BENCH, missing) + "\n"
    lines = ["| model | MNIST-M test acc % | MNIST test acc % | proxy A-distance | wall time "
             "per run | training images/s | paper, MNIST-M acc % |", "|---" * 7 + "|"]
    mean = {}
    for mode, row in rows.items():
        mean[mode] = statistics.mean(row.values("target"))
        speed = statistics.mean(r["steps"] * batch_images(mode, args) / r["wall_seconds"]
                                for r in row.records)
        lines.append(f"| {row.label(mode, machines)} | {row.spread('target', 1)} | "
                     f"{row.spread('source', 1)} | {row.spread('pad', 2)} | "
                     f"{row.wall_seconds() / 60:.0f} min | {speed:.0f} | {PAPER[mode]:.2f} |")
    notes = [*machines.notes(), *([results.pending(BENCH, missing)] if missing else [])]
    lines += ["", *notes] if notes else []
    if len(mean) == len(MODES):
        closed = 100 * (mean["dann"] - mean["source-only"]) / (mean["target-only"]
                                                              - mean["source-only"])
        paper = 100 * (PAPER["dann"] - PAPER["source-only"]) / (PAPER["target-only"]
                                                               - PAPER["source-only"])
        lines += ["", f"DANN closes {closed:.0f}% of the source-only to train-on-target gap "
                      f"(the paper: {paper:.0f}%)."]
    batch = RECIPES[args.recipe]["batch_size"]
    shown_args = copy.copy(args)
    shown_args.methods = list(rows)
    shown_args.seeds = sorted({r["seed"] for row in rows.values() for r in row.records})
    lines += [
        "", f"Mean ± std over seeds {', '.join(map(str, shown_args.seeds))}: accuracy on the "
        "10,000 MNIST-M (and MNIST) test images after the last step, never used to pick a run. "
        f"Budget per run: {args.steps:,} steps of {batch} MNIST + {batch} MNIST-M images "
        f"(28x28 RGB; MNIST grey repeated), {WORDS[args.recipe]} annealed as mu_0 / "
        "(1 + 10 p)^0.75, "
        "lambda_p = 2 / (1 + exp(-10 p)) - 1; the same networks, steps and batch for the "
        "three modes (wall time includes the evaluations every 1,000 steps). MNIST-M here is the "
        "recipe's (`gantool data build mnist-m`), from "
        f"{shown(args.photos)} rather than BSDS500, so the figures are near the paper's "
        "protocol, not its data.",
        f"Measured on {hardware(machines.usual)}, 1 thread per run (another training may have "
        "shared the machine, so wall times are upper bounds), with "
        f"`{command(shown_args)}`."]
    return "\n".join(lines) + "\n"


def command(args: argparse.Namespace) -> str:
    return (f"uv run python bench/dann_mnist.py --mnist {shown(args.mnist)} --photos "
            f"{shown(args.photos)} --steps {args.steps} --seeds "
            f"{' '.join(map(str, args.seeds))} --methods {' '.join(args.methods)}"
            + ("" if args.recipe == "paper" else f" --recipe {args.recipe}"))


def shorter_budget(args: argparse.Namespace) -> list[tuple[str, str]]:
    """For a model shipped from a longer budget than the default, what the default budget's
    DANN runs of the same recipe scored (the reason for the longer one), from the records."""
    if args.steps == DEFAULT_STEPS:
        return []
    shorter = copy.copy(args)
    shorter.steps = DEFAULT_STEPS
    row = results.row(results.load(BENCH), "dann", options(shorter, "dann", 0))
    if not row.seeds:
        return []
    return [("budget", f"{args.steps:,} steps; the {DEFAULT_STEPS:,}-step DANN runs of the same "
                       f"recipe scored {row.spread('target', 1)} % on MNIST-M "
                       f"({row.seeds} seed{'s' if row.seeds > 1 else ''}, docs/results.md)")]


def ship(run: Path, result: dict, args: argparse.Namespace) -> None:
    """The run's networks as the default model of `gantool run dann`, with its model card."""
    shipped = ship_networks(run, SHIPPED, "dann")
    config = shipped.config
    rows = [
        ("task", "`dann`, 10 classes (digits 0-9), input 3x28x28 RGB in [0, 1]"),
        ("network", f"features (5x5 conv {config.get('first', 32)}, pool, 5x5 conv "
                    f"{config['features']}, pool"
                    + (", batch norm after each convolution" if config.get("batch_norm") else "")
                    + (f", dropout {config['dropout']:g}" if config.get("dropout") else "")
                    + f") and label classifier ({config['hidden']}-{config['hidden']}-10); "
                    f"{shipped.parameters:,} parameters, {shipped.described}"),
        ("data", "source MNIST (60,000 labelled training digits, `DATA/mnist`); "
                 "target MNIST-M built by `gantool data build mnist-m` from those digits and "
                 "`DATA/photos/train` (60,000 unlabelled training images)"),
        ("method", f"DANN (gradient reversal), {config['optimizer']} lr {config['lr']}, "
                   f"batches of {config['batch_size']} + {config['batch_size']}"),
        ("training", f"{result['steps']:,} steps, seed {config['seed']}, 1 CPU thread, "
                     f"{result['seconds'] / 60:.0f} min on "
                     f"{hardware(results.trained_on(BENCH, run / 'model.safetensors'))}"),
        ("picked", "the DANN run of the first seed, chosen before training"),
        *shorter_budget(args),
        ("accuracy", f"**{result['target']:.2f} %** on the 10,000 MNIST-M test images, "
                     f"{result['source']:.2f} % on the 10,000 MNIST test digits"),
    ]
    write_card(shipped, "The default model of `gantool run dann`: a digit classifier trained "
               "on labelled MNIST and adapted, without labels, to MNIST-M (digits on colour "
               "photo textures), as Ganin et al. 2016.", rows,
               ["Inputs of another size are resized to 28x28 and grey ones repeated to RGB, "
                "with a notice."], command(args))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mnist", type=Path, required=True)
    parser.add_argument("--photos", type=Path, required=True)
    parser.add_argument("--data", type=Path, default=ROOT / "datasets" / "build" / "mnist-m")
    parser.add_argument("--runs", type=Path, default=ROOT / "runs" / "dann-mnist")
    parser.add_argument("--steps", type=int, default=DEFAULT_STEPS)
    parser.add_argument("--recipe", choices=list(RECIPES), default="paper")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--methods", nargs="+", choices=MODES,
                        default=["dann", "source-only", "target-only"],
                        help="the modes to train and score, in this order")
    parser.add_argument("--score-only", action="store_true",
                        help="score the runs that finished, train nothing (nor build MNIST-M)")
    parser.add_argument("--ship", action="store_true",
                        help="make the first seed's DANN run the default of `gantool run dann`")
    args = parser.parse_args()
    torch.set_num_threads(1)
    if not args.score_only:
        mnist_m_folder(args.mnist, args.photos, args.data)
    scored = {}
    for seed in args.seeds:
        for mode in args.methods:
            run = run_folder(args, mode, seed)
            if not args.score_only:
                train_or_resume(build_game, DannConfig, "dann", options(args, mode, seed), run)
            if (run / "model.safetensors").exists():
                scored[mode, seed] = result = score(run)
                results.append(BENCH, task="dann", method=mode,
                               options=options(args, mode, seed), seed=seed,
                               steps=result["steps"], wall_seconds=result["seconds"],
                               metrics={k: result[k] for k in ("target", "source", "pad")},
                               weights=run / "model.safetensors")
                print(f"{mode}, seed {seed}: MNIST-M {result['target']:.2f} %, MNIST "
                      f"{result['source']:.2f} % ({result['seconds'] / 60:.1f} min)",
                      flush=True)
    if args.ship:
        seed = args.seeds[0]
        if ("dann", seed) not in scored:
            raise SystemExit(f"--ship: no dann run of seed {seed} under {args.runs} to ship")
        ship(run_folder(args, "dann", seed), scored["dann", seed], args)
    body = tables(results.load(BENCH), args)
    write_section("dann-mnist", body)
    print(body)


if __name__ == "__main__":
    main()
