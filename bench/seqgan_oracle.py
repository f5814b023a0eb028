"""SeqGAN against maximum likelihood on the paper's synthetic oracle, at the paper's scale.

The oracle is an LSTM with N(0, 1) parameters (vocabulary 5,000, embedding and hidden 32,
sequences of 20 tokens); its 10,000 samples are the training data and NLL-oracle (its mean
negative log-likelihood per token of 10,000 generated sequences) the score. Per seed: an
untrained generator (random), MLE pretraining of G with NLL-oracle and NLL-test (G's own NLL
of 1,000 fresh oracle sequences) logged every epoch, then from that same pretrained model two
continuations: SeqGAN (D pretraining, then policy-gradient steps of G with 16 Monte-Carlo
rollouts, D training between them) with the paper's CNN discriminator, and more MLE updates
sized to take about the same wall time. The paper's D schedule (15 D epochs over 10,000 fresh
negatives per G step) costs about 11 minutes of one CPU thread per G step here, so the D side
is cut (--d-pretrain-steps, --d-steps, --k-epochs) and stated in the table.

Runs are kept under --runs and resume; each finished run is scored once and recorded in
bench/results/seqgan-oracle.jsonl, and the table is rebuilt from the records of this budget.
runs/ does not outlive a session: `--keep-pretrained DIR` copies each pretrained model to
DIR/seqgan-oracle-pretrain-sSEED.safetensors (about 1.3 MB) and `--pretrained DIR` starts the
continuations from those files in a later session. `--scratch DIR` sends records, table and
figure to DIR instead of the repository (checks of the pipeline on tiny settings).

Usage: uv run python bench/seqgan_oracle.py [--seeds 0] [--methods random mle-pretrain]
           [--keep-pretrained bench/warm] [--pretrained bench/warm] [--score-only]
Writes the section `bench:seqgan-oracle` and plugins/seqgan/assets/oracle-curve.png.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
from pathlib import Path

import torch

import results
from gantool.config import build
from gantool.metadata import read_metadata
from gantool.train.trainer import seed_everything
from gantool_seqgan.config import SeqganConfig, SeqganEval
from gantool_seqgan.corpus import oracle_corpus
from gantool_seqgan.evaluation import evaluate
from gantool_seqgan.models import Generator
from gantool_seqgan.scores import score as score_generator
from gantool_seqgan.training import build_game, stages
from kept_runs import records, train_or_resume, wall_time
from readme_tables import RESULTS, hardware, shown, write_section

ROOT = Path(__file__).resolve().parents[1]
BENCH = "seqgan-oracle"
METHODS = ("random", "mle-pretrain", "mle", "seqgan")
SAMPLES = 10000
"""Generated sequences scored per run, as the paper's code (generated_num) scores them."""
EVAL_SAMPLES = 1000
"""Generated sequences scored at each evaluation during training (the curves)."""
BATCH = 64
SEQ_LEN = 20
D_WIDTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20]
D_FILTERS = [100, 200, 200, 200, 200, 100, 100, 100, 100, 100, 160, 160]
"""The paper's discriminator (LantaoYu/SeqGAN sequence_gan.py): 1,720 filters."""
PAPER = {"random": 10.310, "mle": 9.038, "seqgan": 8.736}
"""NLL-oracle of Yu et al. 2017 (AAAI), Table 1."""
FIGURE = ROOT / "plugins" / "seqgan" / "assets" / "oracle-curve.png"
DRIFT_EPOCHS = 10
"""Pretraining has plateaued when the mean NLL-oracle of its last DRIFT_EPOCHS epochs is within
noise of the mean of the DRIFT_EPOCHS before them."""
DEFAULTS = {"oracle_vocab": 5000, "oracle_sequences": 10000, "pretrain_steps": 12500,
            "mle_steps": 70000, "d_pretrain_steps": 1000, "adversarial_steps": 100,
            "d_steps": 30, "k_epochs": 3}
"""Budgets for one CPU thread (timing probe, paper sizes: 55 ms per MLE update of 64, 14 s per
G step with 16 rollouts, 0.65 s per D step of 3 updates on 64 + 64 sequences, 1.6 s per
evaluation): SeqGAN's continuation takes about 68 minutes, and 70,000 MLE updates about as
long; 12,500 MLE updates are the paper's 80 epochs (about 14 minutes)."""


def epoch_steps(args: argparse.Namespace) -> int:
    """MLE updates per pass over the training sequences."""
    return max(1, round(args.oracle_sequences / BATCH))


def options(args: argparse.Namespace, method: str, seed: int) -> dict:
    """A run's training options: the paper's sizes, 1 thread; the continuations warm-start G
    from the seed's pretrained model. Evaluations: every epoch while pretraining, every 5
    epochs of continued MLE, every 5 G steps of SeqGAN (as the paper's code logs)."""
    epoch = epoch_steps(args)
    common = {"oracle": True, "oracle_vocab": args.oracle_vocab,
              "oracle_sequences": args.oracle_sequences, "seq_len": SEQ_LEN,
              "batch_size": BATCH, "seed": seed, "device": "cpu", "threads": 1,
              "eval_samples": EVAL_SAMPLES, "log_every": 50}
    if method == "mle-pretrain":
        return {**common, "mode": "mle", "pretrain_steps": args.pretrain_steps,
                "adversarial_steps": 0, "eval_every": epoch, "checkpoint_every": 10 * epoch}
    start = {**common, "init": start_weights(args, seed), "pretrain_steps": 0}
    if method == "mle":
        return {**start, "mode": "mle", "adversarial_steps": args.mle_steps,
                "eval_every": 5 * epoch, "checkpoint_every": 50 * epoch}
    return {**start, "mode": "seqgan", "d_widths": D_WIDTHS, "d_filters": D_FILTERS,
            "d_embedding": 64, "d_dropout": 0.25, "rollouts": 16, "g_batch": BATCH,
            "d_pretrain_steps": args.d_pretrain_steps,
            "adversarial_steps": args.adversarial_steps, "d_steps": args.d_steps,
            "k_epochs": args.k_epochs, "eval_every": 5 * args.d_steps,
            "checkpoint_every": 25 * args.d_steps}


def record_options(args: argparse.Namespace, method: str) -> dict:
    """What defines a table row: the training options less the seed's own start file, plus the
    pretraining it continues (the same for every seed) and the samples scored."""
    if method == "random":
        return {"oracle": True, "oracle_vocab": args.oracle_vocab, "samples": SAMPLES}
    kept = {k: v for k, v in options(args, method, 0).items() if k != "init"}
    if method != "mle-pretrain":
        kept["pretrained_steps"] = args.pretrain_steps
    return {**kept, "samples": SAMPLES}


def run_folder(args: argparse.Namespace, method: str, seed: int) -> Path:
    """Named by method, budget and seed, so another budget never resumes this one."""
    budget = f"v{args.oracle_vocab}-p{args.pretrain_steps}"
    if method == "mle":
        budget += f"-m{args.mle_steps}"
    elif method == "seqgan":
        budget += (f"-d{args.d_pretrain_steps}k{args.k_epochs}"
                   f"-a{args.adversarial_steps}d{args.d_steps}")
    return args.runs / f"{method}-{budget}-s{seed}"


def kept_name(seed: int) -> str:
    return f"seqgan-oracle-pretrain-s{seed}.safetensors"


def start_weights(args: argparse.Namespace, seed: int) -> Path:
    """The pretrained model the seed's continuations start from: a kept file under
    --pretrained, else the pretraining run's weights."""
    if args.pretrained is not None:
        return args.pretrained / kept_name(seed)
    return run_folder(args, "mle-pretrain", seed) / "model.safetensors"


def check_start(args: argparse.Namespace, seed: int) -> None:
    """Refuse to continue from a missing model or one of another pretraining, which would
    put the continuation in the wrong table row."""
    path = start_weights(args, seed)
    if not path.is_file():
        raise SystemExit(f"no pretrained model for seed {seed} at {shown(path)}: run "
                         "--methods mle-pretrain first, or pass --pretrained DIR")
    steps = int(read_metadata(path)["step"])
    if steps != args.pretrain_steps:
        raise SystemExit(f"{shown(path)} was pretrained for {steps} updates, not "
                         f"--pretrain-steps {args.pretrain_steps}")


def budget(config: SeqganConfig) -> int:
    """The run's steps: those of its stages."""
    return sum(stage.steps for stage in stages(config))


def finished(run: Path, options: dict) -> bool:
    """Whether the run's log reached its budget (a stopped run also leaves weights)."""
    if not (run / "log.jsonl").exists():
        return False
    return max(r["step"] for r in records(run)) >= budget(build(SeqganConfig, options))


def evaluations(log: list[dict]) -> list[dict]:
    """The log's eval records, each with `minutes` of training before it summed over the
    processes that trained the run (each resumed process restarts the log's clock)."""
    out, before, last = [], 0.0, 0.0
    for record in log:
        if record["time"] < last:
            before += last
        last = record["time"]
        if record["event"] == "eval":
            out.append({**record, "minutes": (before + last) / 60})
    return out


def drift(log: list[dict]) -> float | None:
    """Mean NLL-oracle of the last DRIFT_EPOCHS per-epoch evaluations minus that of the ones
    before them: near zero (within the noise of 1,000 samples) once pretraining plateaus."""
    values = [r["nll_oracle"] for r in evaluations(log)]
    if len(values) < 2 * DRIFT_EPOCHS:
        return None
    last, before = values[-DRIFT_EPOCHS:], values[-2 * DRIFT_EPOCHS:-DRIFT_EPOCHS]
    return statistics.mean(last) - statistics.mean(before)


def scores(weights: Path, samples: int, seed: int = 0) -> dict[str, float]:
    """`gantool eval seqgan` of the weights: nll_oracle and nll_reference (NLL-test)."""
    (table,) = evaluate(SeqganEval(weights=weights, num=samples, seed=seed))
    return dict(table.rows)


def score(run: Path, method: str) -> dict:
    """The run's NLL-oracle (SAMPLES sequences) and NLL-test, and its cost."""
    metrics = scores(run / "model.safetensors", SAMPLES)
    log = records(run)
    scored = {"nll_oracle": metrics["nll_oracle"], "nll_test": metrics["nll_reference"]}
    if method == "mle-pretrain":
        scored["nll_oracle_drift"] = drift(log)
    return {"metrics": scored, "seconds": wall_time(log),
            "steps": max(r["step"] for r in log)}


def untrained(args: argparse.Namespace, seed: int) -> dict[str, float]:
    """NLL-oracle and NLL-test of a freshly initialised generator: the 'random' row."""
    config = build(SeqganConfig, {"oracle": True, "oracle_vocab": args.oracle_vocab,
                                  "seed": seed})
    corpus = oracle_corpus(config, 0)
    seed_everything(seed)
    generator = Generator(args.oracle_vocab, config.embedding, config.hidden)
    metrics = score_generator(generator, corpus, SEQ_LEN, SAMPLES, 0)
    return {"nll_oracle": metrics["nll_oracle"], "nll_test": metrics["nll_reference"]}


def run_method(args: argparse.Namespace, method: str, seed: int) -> None:
    """Train (or resume) one run, then record its score once it has reached its budget."""
    if method == "random":
        if not args.score_only:
            record(args, method, seed, {"metrics": untrained(args, seed), "seconds": None,
                                        "steps": None}, weights=None)
        return
    run = run_folder(args, method, seed)
    if not args.score_only:
        if method != "mle-pretrain":
            check_start(args, seed)
        train_or_resume(build_game, SeqganConfig, "seqgan", options(args, method, seed), run,
                        steps=budget)
    if not finished(run, options(args, method, seed)):
        return
    record(args, method, seed, score(run, method), weights=run / "model.safetensors")
    if method == "mle-pretrain" and args.keep_pretrained is not None:
        args.keep_pretrained.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(run / "model.safetensors", args.keep_pretrained / kept_name(seed))


def record(args: argparse.Namespace, method: str, seed: int, result: dict,
           weights: Path | None) -> None:
    results.append(BENCH, task="seqgan", method=method, options=record_options(args, method),
                   seed=seed, steps=result["steps"], wall_seconds=result["seconds"],
                   metrics=result["metrics"], weights=weights)
    took = f" ({result['seconds'] / 60:.1f} min)" if result["seconds"] else ""
    print(f"{method}, seed {seed}: " + ", ".join(
        f"{k} {v:.4f}" for k, v in result["metrics"].items() if v is not None) + took,
        flush=True)


def labels(args: argparse.Namespace) -> dict[str, str]:
    p, epoch = args.pretrain_steps, epoch_steps(args)
    return {"random": "random (untrained G)",
            "mle-pretrain": f"MLE pretraining, {p:,} updates ({p / epoch:.0f} epochs)",
            "mle": f"MLE continued, + {args.mle_steps:,} updates "
                   f"({args.mle_steps / epoch:.0f} epochs)",
            "seqgan": f"SeqGAN, {args.d_pretrain_steps:,} D pretraining steps + "
                      f"{args.adversarial_steps:,} G steps"}


def by_seed(row: results.Row) -> dict[int, dict]:
    return {r["seed"]: r["metrics"] for r in row.records}


def verdict(rows: dict[str, results.Row]) -> str:
    """Per seed: did SeqGAN end below continued MLE in NLL-oracle, and what NLL-test did."""
    if "mle" not in rows or "seqgan" not in rows:
        return "SeqGAN and continued MLE are compared once both have records of a seed."
    mle, seqgan = by_seed(rows["mle"]), by_seed(rows["seqgan"])
    parts = []
    for seed in sorted(set(mle) & set(seqgan)):
        oracle = seqgan[seed]["nll_oracle"] - mle[seed]["nll_oracle"]
        test = seqgan[seed]["nll_test"] - mle[seed]["nll_test"]
        parts.append(f"seed {seed}: SeqGAN ended {'below' if oracle < 0 else 'above'} "
                     f"continued MLE in NLL-oracle ({seqgan[seed]['nll_oracle']:.3f} against "
                     f"{mle[seed]['nll_oracle']:.3f}, {oracle:+.3f}) and its NLL-test "
                     f"{'rose' if test > 0 else 'fell'} by {abs(test):.3f} against MLE's "
                     f"({seqgan[seed]['nll_test']:.3f} against {mle[seed]['nll_test']:.3f})")
    if not parts:
        return "SeqGAN and continued MLE have no seed in common yet."
    sentence = "; ".join(parts)
    paper = PAPER["seqgan"] - PAPER["mle"]
    return (sentence[0].upper() + sentence[1:] + f". The paper: {paper:+.3f} (8.736 against "
            "9.038). A lower NLL-oracle with a higher NLL-test means samples "
            "more typical of the oracle that cover less of its variety, not a better model "
            "of the whole distribution.")


def plateau(rows: dict[str, results.Row]) -> str:
    drifts = [m.get("nll_oracle_drift") for m in by_seed(rows["mle-pretrain"]).values()]
    drifts = [d for d in drifts if d is not None]
    if not drifts:
        return ""
    return (f" Over the last {DRIFT_EPOCHS} epochs of pretraining NLL-oracle moved by "
            f"{', '.join(f'{d:+.3f}' for d in drifts)} (per seed; mean of those epochs' "
            f"evaluations minus the mean of the {DRIFT_EPOCHS} before, {EVAL_SAMPLES:,} samples "
            "each): near zero means it had plateaued.")


def schedule(args: argparse.Namespace) -> str:
    """The SeqGAN run's D schedule against the paper's, in D updates."""
    paper_epoch = 2 * 10000 // BATCH  # 10,000 real and 10,000 generated, batches of 64
    return (f"SeqGAN trains the paper's CNN D (embedding 64, widths 1-10, 15, 20 with 100-200 "
            f"filters each, 1,720 in all, highway, dropout 0.25; the paper's L2 0.2 on D's "
            f"output layer is not applied) for {args.d_pretrain_steps:,} steps before the "
            f"adversarial stage, each step {args.k_epochs} update"
            f"{'s' if args.k_epochs != 1 else ''} on a fresh batch of "
            f"{BATCH} generated and {BATCH} real sequences ({args.d_pretrain_steps * BATCH:,} "
            f"negatives, {args.d_pretrain_steps * args.k_epochs:,} updates; the paper: 50 x 3 "
            f"epochs over 10,000 negatives, {50 * 3 * paper_epoch:,} updates of {BATCH}). "
            f"Then per G step (64 samples, 16 rollouts per prefix, rollout rate 0.8) D takes "
            f"{args.d_steps} such steps: {args.d_steps * BATCH:,} fresh negatives and "
            f"{args.d_steps * args.k_epochs} updates, where the paper takes 5 x 3 epochs over "
            f"10,000 fresh negatives ({5 * 3 * paper_epoch:,} updates), about 11 minutes of one "
            "thread per G step here.")


def table(recorded: list[dict], args: argparse.Namespace) -> str:
    rows, missing, machines = results.rows_of(recorded, METHODS,
                                              lambda m: record_options(args, m))
    if machines is None:
        return results.pending(BENCH, missing) + "\n"
    names = labels(args)
    lines = ["| | NLL-oracle | NLL-test | wall time per run | paper NLL-oracle |",
             "|---|---|---|---|---|"]
    for method, row in rows.items():
        took = f"{row.wall_seconds() / 60:.0f} min" if method != "random" else "–"
        paper = f"{PAPER[method]:.3f}" if method in PAPER else "–"
        lines.append(f"| {row.label(names[method], machines)} | "
                     f"{row.spread('nll_oracle', 3)} | {row.spread('nll_test', 3)} | "
                     f"{took} | {paper} |")
    notes = [*machines.notes(), *([results.pending(BENCH, missing)] if missing else [])]
    lines += ["", *notes] if notes else []
    seeds = sorted({r["seed"] for row in rows.values() for r in row.records})
    lines += [
        "",
        f"Mean ± std over seeds {', '.join(map(str, seeds))}. Oracle: an LSTM with N(0, 1) "
        f"parameters (seed 1234), vocabulary {args.oracle_vocab:,}, embedding and hidden 32, "
        f"{SEQ_LEN} tokens; {args.oracle_sequences:,} of its samples are the training data. "
        f"NLL-oracle: the oracle's mean negative log-likelihood per token of {SAMPLES:,} "
        "generated sequences (lower: samples the oracle finds likelier). NLL-test: G's own NLL "
        "per token of 1,000 fresh oracle sequences (lower: G covers more of the oracle's "
        "distribution). G: embedding and LSTM 32, Adam 0.01, batch 64, gradient clip 5, as "
        "the paper's. Both continuations start from the same pretrained model of each seed; "
        "continued MLE is sized to about the wall time of SeqGAN (evaluations included)."
        + (plateau(rows) if "mle-pretrain" in rows else ""),
        schedule(args),
        verdict(rows),
        "The paper's figures: Yu et al. 2017 (AAAI), Table 1; its code's log "
        "(LantaoYu/SeqGAN, save/experiment-log.txt) shows the pretraining plateau near 9.07 "
        "after 115 epochs and SeqGAN reaching 8.68 after 150 G steps.",
        f"Measured on {hardware(machines.usual)}, 1 thread per run, with `{command(args, seeds)}`.",
    ]
    return "\n".join(lines) + "\n"


def command(args: argparse.Namespace, seeds: list[int]) -> str:
    """The invocation that reproduces the table: its seeds and the budget flags it changed."""
    changed = "".join(f" --{name.replace('_', '-')} {getattr(args, name)}"
                      for name, value in DEFAULTS.items() if getattr(args, name) != value)
    return f"uv run python bench/seqgan_oracle.py --seeds {' '.join(map(str, seeds))}{changed}"


def plot_curves(args: argparse.Namespace, path: Path) -> None:
    """NLL-oracle and NLL-test against training minutes of both continuations of each seed,
    from their runs' logs, both from the pretrained model's scores (evaluated as the runs
    evaluate); skipped with a notice where a log or the start is absent (runs/ is not kept)."""
    logs = {}
    for seed in args.seeds:
        runs = {m: run_folder(args, m, seed) / "log.jsonl" for m in ("mle", "seqgan")}
        if start_weights(args, seed).is_file() and all(log.exists() for log in runs.values()):
            logs[seed] = {m: records(log.parent) for m, log in runs.items()}
        else:
            print(f"notice: no curve of seed {seed}: a continuation's log or its pretrained "
                  f"model is absent under {shown(args.runs)}", flush=True)
    if not logs:
        return
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
    colours = {"mle": "tab:grey", "seqgan": "tab:blue"}
    for seed, runs in logs.items():
        start = {"minutes": 0.0, **scores(start_weights(args, seed), EVAL_SAMPLES, seed)}
        for method, log in runs.items():
            evals = [start, *evaluations(log)]
            for ax, key in zip(axes, ("nll_oracle", "nll_reference"), strict=True):
                ax.plot([r["minutes"] for r in evals], [r[key] for r in evals],
                        color=colours[method], alpha=0.8, marker=".", markersize=3,
                        label=labels(args)[method] if seed == min(logs) else None)
    if args.oracle_vocab == 5000:
        for method, style in (("mle", ":"), ("seqgan", "--")):
            axes[0].axhline(PAPER[method], color=colours[method], linestyle=style,
                            label=f"paper, {method}: {PAPER[method]:.3f}")
    axes[0].set(ylabel=f"NLL-oracle ({EVAL_SAMPLES:,} samples)")
    axes[1].set(ylabel="NLL-test (1,000 oracle sequences)")
    for ax in axes:
        ax.set(xlabel="minutes of training after the pretraining (1 CPU thread)")
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=7)
    fig.suptitle(f"From the same pretrained G ({args.pretrain_steps:,} MLE updates), "
                 f"seed{'s' if len(logs) > 1 else ''} {', '.join(map(str, logs))}",
                 fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)


def scratch_document(folder: Path) -> Path:
    """A document holding only this bench's section, for --scratch."""
    document = folder / "results.md"
    if not document.exists():
        folder.mkdir(parents=True, exist_ok=True)
        document.write_text(f"<!-- bench:{BENCH} -->\n<!-- /bench:{BENCH} -->\n")
    return document


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=Path, default=ROOT / "runs" / "seqgan-oracle")
    for name, value in DEFAULTS.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=int, default=value)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--methods", nargs="+", choices=METHODS, default=list(METHODS))
    parser.add_argument("--pretrained", type=Path,
                        help="folder of kept pretrained models to continue from")
    parser.add_argument("--keep-pretrained", type=Path,
                        help="folder to copy each finished pretrained model into")
    parser.add_argument("--score-only", action="store_true")
    parser.add_argument("--scratch", type=Path,
                        help="write records, table and figure under this folder instead")
    return parser.parse_args()


def main() -> None:
    args = parse()
    torch.set_num_threads(1)
    figure, documents = FIGURE, (RESULTS,)
    if args.scratch is not None:
        results.FOLDER = args.scratch / "results"
        figure, documents = args.scratch / FIGURE.name, (scratch_document(args.scratch),)
    for seed in args.seeds:
        for method in args.methods:
            run_method(args, method, seed)
    plot_curves(args, figure)
    body = table(results.load(BENCH), args)
    write_section(BENCH, body, documents)
    print(body)


if __name__ == "__main__":
    main()
