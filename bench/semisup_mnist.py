"""Semi-supervised MNIST as the papers ran it: test error from 100 (and 20, 50) labels.

The protocol of Salimans et al. 2016 (permutation-invariant MNIST): per seed, `--labels`
training digits drawn balanced per class are labelled, all 60,000 training digits are used
unlabelled, and the error is measured once, after the fixed budget, on the 10,000 test digits
(never used to steer or pick a run). Methods, with one classifier architecture (the paper's
MLP 784-1000-500-250-250-250-10, Gaussian noise, weight normalisation): supervised only (the
labels alone), the K+1 GAN with feature matching (`ssl-gan`) and Triple-GAN (`triple-gan`).

Each run lives in its own folder under --runs: a finished run is scored again without
training, a stopped one resumes from its last checkpoint, so the benchmark continues across
sessions. `--ship` copies the K+1 classifier of the 100-label seed with the best error on the
training digits whose labels were hidden (not the test error) to the plugin's default weights.
Each scored run is recorded in bench/results/semisup-mnist.jsonl and the table is rebuilt from
the records of this budget: one seed, label count or method at a time adds to it, and
`--score-only` rebuilds it even with no run kept.

Usage: uv run python bench/semisup_mnist.py --mnist ../shared/data/mnist
           [--runs runs/semisup-mnist] [--epochs 10] [--labels 100] [--seeds 0 1 2]
           [--methods supervised ssl-gan triple-gan] [--threads 1] [--ship]
Writes the README section `bench:semisup-mnist` and plugins/semisup/assets/mnist-curve.png.
"""

from __future__ import annotations

import argparse
import copy
import statistics
from dataclasses import dataclass
from pathlib import Path

import torch

import results
from gantool_semisup import kplus1, triple
from gantool_semisup.config import SemisupEval, SslGanConfig, TripleGanConfig
from gantool_semisup.evaluation import evaluate_ssl_gan, evaluate_triple_gan
from gantool_semisup.trained import SHIPPED
from kept_runs import records, train_or_resume, wall_time
from readme_tables import hardware, shown, write_section
from shipping import ship_networks, write_card

ROOT = Path(__file__).resolve().parents[1]
BENCH = "semisup-mnist"
CURVE = ROOT / "plugins" / "semisup" / "assets" / "mnist-curve.png"
STEPS_PER_EPOCH = 600  # 60,000 unlabelled digits in batches of 100
NETWORK = {"widths": (1000, 500, 250, 250, 250), "lr": 0.003}
"""The paper's MNIST classifier and learning rate; the rest are `ssl-gan`'s defaults."""


@dataclass(frozen=True)
class Method:
    """A row of the table: the task it trains, its options and how it is scored."""

    title: str
    task: str
    build_game: object
    config: type
    evaluate: object
    options: dict


METHODS = {
    "supervised": Method("supervised only (same classifier, labels alone)", "ssl-gan",
                         kplus1.build_game, SslGanConfig, evaluate_ssl_gan,
                         {"supervised_only": True}),
    "ssl-gan": Method("K+1 GAN, feature matching (`ssl-gan`)", "ssl-gan", kplus1.build_game,
                      SslGanConfig, evaluate_ssl_gan, {}),
    "triple-gan": Method("Triple-GAN (`triple-gan`)", "triple-gan", triple.build_game,
                         TripleGanConfig, evaluate_triple_gan, {}),
}
PAPERS = ["| K+1 GAN, feature matching (Salimans et al. 2016, Table 1) | 0.93 ± 0.07 | "
          "300 epochs, GPU |",
          "| Triple-GAN (Li et al. 2017, Table 1) | 0.91 ± 0.58 | 1,000 epochs, GPU |"]


@dataclass
class Result:
    error: float
    seconds: float
    steps: int
    curve: list[tuple[float, float]]  # (epoch, error % on the digits whose labels were hidden)


def score(method: Method, run: Path) -> Result:
    summary = method.evaluate(SemisupEval(weights=run / "model.safetensors"))[0]
    log = records(run)
    curve = [(r["step"] / STEPS_PER_EPOCH, 100 * (1 - r["unlabelled_accuracy"]))
             for r in log if r["event"] == "eval" and "unlabelled_accuracy" in r]
    steps = max(r["step"] for r in log)
    return Result(float(summary.rows[0][3]), wall_time(log), steps, curve)


def options(args: argparse.Namespace, name: str, labels: int, seed: int) -> dict:
    return {"data": args.mnist, "format": "mnist", "labels": labels, "seed": seed,
            "steps": args.epochs * STEPS_PER_EPOCH, "device": "cpu", "threads": args.threads,
            "eval_every": STEPS_PER_EPOCH, "checkpoint_every": STEPS_PER_EPOCH, "log_every": 200,
            **NETWORK, **METHODS[name].options}


def plot_curves(results: dict[tuple[str, int, int], Result], labels: int, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.6))
    colours = {"supervised": "tab:grey", "ssl-gan": "tab:blue", "triple-gan": "tab:orange"}
    for (name, count, seed), result in sorted(results.items()):
        if count != labels or not result.curve:
            continue
        epochs, errors = zip(*result.curve, strict=True)
        ax.plot(epochs, errors, color=colours[name], alpha=0.8,
                label=METHODS[name].title.split(" (")[0] if seed == min(
                    s for (n, c, s) in results if n == name and c == labels) else None)
    ax.set(xlabel="epoch (600 steps of 100 unlabelled digits)", yscale="log",
           ylabel="error % (training digits, labels hidden)",
           title=f"MNIST, {labels} labels: error during training")
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)


def ship(run: Path, result: Result, command: str) -> None:
    """The run's classifier alone (the generator is a training device) as the default model of
    `gantool run ssl-gan`, with its model card."""
    shipped = ship_networks(run, SHIPPED, "ssl-gan", ["D"])
    config, parameters = shipped.config, shipped.parameters
    widths = "-".join(map(str, config["widths"]))
    rows = [
        ("task", "`ssl-gan`, 10 classes (digits 0-9), input 1x28x28 in [0, 1], light on black"),
        ("network", f"the classifier D only: MLP 784-{widths}-10, weight-normalised (hidden "
                    f"gains fixed), Gaussian noise in training (input {config['input_noise']}, "
                    f"hidden {config['hidden_noise']}); {parameters:,} parameters, "
                    f"{shipped.described}"),
        ("data", "MNIST (LeCun and Cortes, CC BY-SA 3.0): the four idx files of "
                 "`DATA/mnist`"),
        ("method", f"K+1 GAN with feature matching; Adam lr {config['lr']}, beta1 "
                   f"{config['beta1']}; batches of 100 unlabelled, 100 generated and 100 "
                   "labelled digits"),
        ("training", f"{result.steps:,} steps ({result.steps / STEPS_PER_EPOCH:.0f} epochs), "
                     f"seed {config['seed']}, 1 CPU thread, {result.seconds / 60:.0f} min wall "
                     f"on {hardware(results.trained_on(BENCH, run / 'model.safetensors'))}"),
        ("picked", "of the seeds trained, the one with the lowest error on the training digits "
                   "whose labels were hidden (never on test data)"),
        ("test error", f"**{result.error:.2f} %** on the 10,000 MNIST test digits (`gantool "
                       f"eval ssl-gan --weights {shown(SHIPPED)} --data DATA/mnist "
                       "--format mnist`)"),
    ]
    write_card(shipped, "The default model of `gantool run ssl-gan`: the K+1 GAN classifier "
               "(Salimans et al. 2016) of permutation-invariant MNIST, trained from "
               f"{config['labels']} labels ({config['labels'] // 10} per class, drawn from seed "
               f"{config['seed']}) with all 60,000 training digits unlabelled.", rows,
               ["Inputs that are not 28x28 grey digits on black (photos, scans, dark ink on "
                "paper, any size) are converted as MNIST's digits were made before they are "
                "classified: grey, inverted when the background is light, fitted into 20x20 "
                "and centred by the centre of mass in 28x28."], command)


def cell(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.2f} (1 seed)"
    return f"{statistics.mean(values):.2f} ± {statistics.stdev(values):.2f} ({len(values)} seeds)"


def table(recorded: list[dict], args: argparse.Namespace) -> str:
    """The records with this invocation's budget, a column per label count recorded, whatever
    seeds, label counts and methods it ran; each cell says its seeds."""
    budget = {name: {k: v for k, v in options(args, name, 0, 0).items() if k != "labels"}
              for name in METHODS}
    mine = {name: [r for r in recorded if results.matches(r, name, budget[name])]
            for name in METHODS}
    missing = [name for name, rs in mine.items() if not rs]
    mine = {name: rs for name, rs in mine.items() if rs}
    if not mine:
        return results.pending(BENCH, missing) + "\n"
    counts = sorted({r["options"]["labels"] for rs in mine.values() for r in rs})
    machines = results.machines([r for rs in mine.values() for r in rs])
    lines = [f"Test error (%) on the 10,000 MNIST test digits, mean ± std over seeds, after "
             f"{args.epochs} epochs ({args.epochs * STEPS_PER_EPOCH:,} steps of 100 unlabelled + "
             "100 labelled digits; the model after the last step, never picked on test data).",
             "", "| method |" + "".join(f" {n} labels |" for n in counts)
             + " wall time per run | unlabelled digits/s |",
             "|---|" + "---|" * (len(counts) + 2)]
    for name, rs in mine.items():
        cells = ""
        for count in counts:
            errors = results.row(rs, name, {"labels": count}).values("error")
            cells += f" {cell(errors) if errors else '–'} |"
        seconds = statistics.mean(r["wall_seconds"] for r in rs)
        speed = statistics.mean(r["steps"] * 100 / r["wall_seconds"] for r in rs)
        lines.append(f"| {METHODS[name].title}{machines.mark(rs)} |{cells} {seconds / 60:.0f} "
                     f"min | {speed:.0f} |")
    notes = [*machines.notes(), *([results.pending(BENCH, missing)] if missing else [])]
    lines += ["", *notes] if notes else []
    shown_args = copy.copy(args)
    shown_args.labels, shown_args.methods = counts, list(mine)
    shown_args.seeds = sorted({r["seed"] for rs in mine.values() for r in rs})
    lines += ["", "The papers' figures, MNIST with 100 labels:", "",
              "| paper | test error (%) | budget |", "|---|---|---|", *PAPERS, "",
              f"![error during training]({shown(CURVE)})", "",
              f"Measured on {hardware(machines.usual)}, {args.threads} thread(s) per run, one run "
              f"at a time, with `{command(shown_args)}`."]
    return "\n".join(lines) + "\n"


def command(args: argparse.Namespace) -> str:
    return (f"uv run python bench/semisup_mnist.py --mnist {shown(args.mnist)} --epochs "
            f"{args.epochs} --labels {' '.join(map(str, args.labels))} --seeds "
            f"{' '.join(map(str, args.seeds))} --methods {' '.join(args.methods)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mnist", type=Path, required=True)
    parser.add_argument("--runs", type=Path, default=ROOT / "runs" / "semisup-mnist")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--labels", type=int, nargs="+", default=[100])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=list(METHODS))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--score-only", action="store_true",
                        help="score the runs that finished, train nothing")
    parser.add_argument("--ship", action="store_true",
                        help="copy the best 100-label K+1 classifier to the shipped weights")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    scored: dict[tuple[str, int, int], Result] = {}
    for labels in args.labels:
        for seed in args.seeds:
            for name in args.methods:
                method = METHODS[name]
                run = args.runs / f"{name}-{labels}-s{seed}"
                if not args.score_only:
                    train_or_resume(method.build_game, method.config, method.task,
                                    options(args, name, labels, seed), run)
                if (run / "model.safetensors").exists():
                    scored[name, labels, seed] = result = score(method, run)
                    results.append(BENCH, task=method.task, method=name,
                                   options=options(args, name, labels, seed), seed=seed,
                                   steps=result.steps, wall_seconds=result.seconds,
                                   metrics={"error": result.error},
                                   weights=run / "model.safetensors")
                    print(f"{name}, {labels} labels, seed {seed}: {result.error:.2f} % "
                          f"({result.seconds / 60:.1f} min)", flush=True)
    if scored:
        plot_curves(scored, 100 if 100 in args.labels else args.labels[0], CURVE)
    if args.ship:
        candidates = [(r.curve[-1][1], seed) for (n, c, seed), r in scored.items()
                      if n == "ssl-gan" and c == 100 and r.curve]
        if not candidates:
            raise SystemExit(f"--ship: no 100-label ssl-gan run under {args.runs} to ship")
        seed = min(candidates)[1]
        ship(args.runs / f"ssl-gan-100-s{seed}", scored["ssl-gan", 100, seed], command(args))
    body = table(results.load(BENCH), args)
    write_section("semisup-mnist", body)
    print(body)


if __name__ == "__main__":
    main()
