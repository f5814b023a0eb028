"""SeqGAN against maximum likelihood on COCO image captions, the text-GAN benchmark of Texygen,
RelGAN and TextGAN-PyTorch (10,000 training and 10,000 test captions).

Per seed: MLE pretraining of G (Texygen's 80 epochs at batch 64: 12,500 updates), then from that
checkpoint two continuations: SeqGAN (D pretraining, then policy-gradient updates of G with 16
Monte-Carlo rollouts per prefix, D training on fresh generated batches in between) and more MLE
updates, sized to take about the same wall time. Every run is scored once, after its last step,
against the test captions, which training never reads: BLEU-2..5 of 1,000 samples, each sample
against all test captions (Texygen's), self-BLEU of 500 samples, and the NLL of the test
captions under G. The training captions are scored the same way (the 'real text' row).

Runs are kept under --runs and resume; each scored run is recorded in
bench/results/seqgan-coco.jsonl and the table is rebuilt from the records of this budget.
`--ship METHOD` makes the first seed's run of METHOD the default model of `gantool run seqgan`.

Usage: uv run python bench/seqgan_coco.py --coco DATA/text/image_coco [--seeds 0 1 2]
           [--methods mle-pretrain seqgan mle] [--ship seqgan]
Writes the section `bench:seqgan-coco`.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import torch

import results
from gantool_seqgan.bleu import self_bleu, sentence_bleu_mean
from gantool_seqgan.config import SeqganConfig, SeqganEval
from gantool_seqgan.evaluation import evaluate
from gantool_seqgan.inference import SHIPPED
from gantool_seqgan.scores import SELF_BLEU_SAMPLES
from gantool_seqgan.text import load_splits
from gantool_seqgan.training import build_game, stages
from gantool_seqgan.vocab import tokenize
from kept_runs import records, train_or_resume, wall_time
from readme_tables import hardware, shown, write_section
from shipping import ship_networks, write_card

ROOT = Path(__file__).resolve().parents[1]
BENCH = "seqgan-coco"
METHODS = ("mle-pretrain", "mle", "seqgan")
SAMPLES = 1000
METRICS = ("bleu2", "bleu3", "bleu4", "bleu5", "self_bleu2", "self_bleu4", "nll_reference")
PUBLISHED = {"seqgan": (0.745, 0.498, 0.294, 0.180), "real-text": (0.740, 0.520, 0.337, 0.218)}
"""BLEU-2..5 against the COCO test captions, Texygen (Zhu et al. 2018), docs/evaluation.md:
its SeqGAN, and its training captions scored as samples."""


def options(args: argparse.Namespace, method: str, seed: int) -> dict:
    """A run's training options: the captions one a line, lowercased, 38 tokens (the longest
    caption and its end), the paper's sizes (embedding and hidden 32)."""
    common = {"data": args.coco, "unit": "line", "lowercase": True, "seq_len": 38,
              "seed": seed, "device": "cpu", "threads": 1, "eval_every": 1000,
              "checkpoint_every": 1000, "log_every": 50}
    if method == "mle-pretrain":
        return {**common, "mode": "mle", "pretrain_steps": args.pretrain_steps,
                "adversarial_steps": 0}
    start = {**common, "init": run_folder(args, "mle-pretrain", seed) / "model.safetensors",
             "pretrain_steps": 0}
    if method == "mle":
        return {**start, "mode": "mle", "adversarial_steps": args.mle_steps}
    return {**start, "mode": "seqgan", "d_pretrain_steps": args.d_pretrain_steps,
            "adversarial_steps": args.adversarial_steps}


def budget(config: SeqganConfig) -> int:
    """The run's steps: those of its stages."""
    return sum(stage.steps for stage in stages(config))


def run_folder(args: argparse.Namespace, method: str, seed: int) -> Path:
    return args.runs / f"{method}-s{seed}"


def score(run: Path, coco: Path) -> dict:
    """The run's scores against the test captions, and its cost."""
    (table,) = evaluate(SeqganEval(weights=run / "model.safetensors", data=coco, num=SAMPLES))
    metrics = {name: value for name, value in table.rows}
    log = records(run)
    return {**{k: metrics[k] for k in METRICS}, "seconds": wall_time(log),
            "steps": max(r["step"] for r in log)}


def real_text(coco: Path) -> dict:
    """The training captions scored as samples: what real text of this kind gets."""
    splits = load_splits(coco)
    lines = [line for line in splits.train.splitlines() if line.strip()]
    chosen = random.Random(0).sample(lines, SAMPLES)
    texts = [tokenize(line, "word", True) for line in chosen]
    references = [tokenize(line, "word", True) for line in splits.reference.splitlines()
                  if line.strip()]
    bleu = sentence_bleu_mean(texts, references)
    diversity = self_bleu(texts[:SELF_BLEU_SAMPLES])
    return {"bleu2": bleu[1], "bleu3": bleu[2], "bleu4": bleu[3], "bleu5": bleu[4],
            "self_bleu2": diversity[1], "self_bleu4": diversity[3]}


def labels(args: argparse.Namespace) -> dict[str, str]:
    p = args.pretrain_steps
    return {"real-text": "training captions (real text)",
            "mle-pretrain": f"MLE, {p:,} updates (the pretraining)",
            "mle": f"MLE, {p:,} + {args.mle_steps:,} updates",
            "seqgan": f"SeqGAN, {p:,} MLE + {args.d_pretrain_steps:,} D + "
                      f"{args.adversarial_steps:,} policy-gradient updates"}


def row_options(args: argparse.Namespace, method: str) -> dict:
    """What defines a method's row: its options less the path of each seed's own pretrained
    model, so the continuations of every seed meet in one row."""
    return {k: v for k, v in options(args, method, 0).items() if k != "init"}


def table(recorded: list[dict], args: argparse.Namespace) -> str:
    real_options = {"data": args.coco, "samples": SAMPLES}
    rows, missing, machines = results.rows_of(
        recorded, ("real-text", *METHODS),
        lambda m: real_options if m == "real-text" else row_options(args, m))
    if machines is None:
        return results.pending(BENCH, missing) + "\n"
    names = labels(args)
    lines = ["| | BLEU-2 | BLEU-3 | BLEU-4 | BLEU-5 | self-BLEU-2 | self-BLEU-4 | NLL-test | "
             "wall time per run | Texygen BLEU-2..5 |", "|---" * 10 + "|"]
    for method, row in rows.items():
        published = " / ".join(f"{v:.3f}" for v in PUBLISHED.get(method, ())) or "–"
        scores = " | ".join(row.spread(k, 3) for k in METRICS)
        took = (f"{row.wall_seconds() / 60:.0f} min" if method != "real-text" else "–")
        lines.append(f"| {row.label(names[method], machines)} | {scores} | {took} | "
                     f"{published} |")
    notes = [*machines.notes(), *([results.pending(BENCH, missing)] if missing else [])]
    lines += ["", *notes] if notes else []
    seeds = sorted({r["seed"] for row in rows.values() for r in row.records
                    if r["seed"] is not None})
    lines += [
        "",
        f"Mean ± std over seeds {', '.join(map(str, seeds))}. BLEU: {SAMPLES:,} samples, each "
        "against all 10,000 test captions (cumulative BLEU-n, nltk's smoothing 1, as Texygen "
        "scores it); higher is closer to real captions. Self-BLEU: 500 samples, each against "
        "the others; lower is more varied. NLL-test: the test captions' mean negative "
        "log-likelihood per token under G, over all 38 positions (the padding after each "
        "caption's end included, as Texygen pads); lower means G covers real captions better. "
        "Captions one a line, lowercased, word and punctuation tokens, the full training "
        "vocabulary, 38 tokens with the end. G: embedding and LSTM 32 (the paper's); D: CNN "
        "with widths 2-5 and 32 filters each, highway and dropout. Both continuations start "
        "from the same MLE checkpoint; SeqGAN alternates one G update (64 samples, 16 rollouts "
        "per prefix, rollout rate 0.8) with 5 D updates on fresh samples, where Texygen runs "
        "15 D epochs over 10,000 fresh samples: the D side is cut to fit a CPU.",
        f"Texygen's figures come from its docs/evaluation.md (Zhu et al. 2018). Measured on "
        f"{hardware(machines.usual)}, 1 thread per run, with `{command(args, seeds)}`."]
    return "\n".join(lines) + "\n"


def command(args: argparse.Namespace, seeds: list[int]) -> str:
    changed = "".join(f" --{name.replace('_', '-')} {getattr(args, name)}"
                      for name in ("pretrain_steps", "mle_steps", "d_pretrain_steps",
                                   "adversarial_steps")
                      if getattr(args, name) != DEFAULTS[name])
    return (f"uv run python bench/seqgan_coco.py --coco {shown(args.coco)} --seeds "
            f"{' '.join(map(str, seeds))}{changed}")


def ship(run: Path, method: str, result: dict, args: argparse.Namespace) -> None:
    """The run's generator as the default model of `gantool run seqgan`, with its card."""
    shipped = ship_networks(run, SHIPPED, "seqgan", ["G"])
    config = shipped.config
    rows = [
        ("task", "`seqgan`: samples image captions, one a line, lowercased"),
        ("network", f"generator: embedding {config['embedding']}, one LSTM layer of "
                    f"{config['hidden']}, softmax over the vocabulary; "
                    f"{shipped.parameters:,} parameters, {shipped.described}"),
        ("data", "COCO image captions, the text-GAN benchmark's 10,000 training captions "
                 f"(`{shown(args.coco)}/train.txt`); scored against its 10,000 test captions"),
        ("method", labels(args)[method]),
        ("training", f"{result['steps']:,} steps in the last segment, seed {config['seed']}, "
                     f"1 CPU thread, {result['seconds'] / 60:.0f} min on "
                     f"{hardware(results.trained_on(BENCH, run / 'model.safetensors'))}"),
        ("picked", f"the {method} run of the first seed, the continuation with the better "
                   "BLEU and self-BLEU on the test captions (both are in the results table)"),
        ("scores", f"BLEU-2..5 {result['bleu2']:.3f} / {result['bleu3']:.3f} / "
                   f"{result['bleu4']:.3f} / {result['bleu5']:.3f}, self-BLEU-4 "
                   f"{result['self_bleu4']:.3f}, NLL-test {result['nll_reference']:.3f}"),
    ]
    write_card(shipped, "The default model of `gantool run seqgan`: a caption generator "
               "trained on COCO captions (Yu et al. 2017's generator).", rows,
               ["`--prefix` starts every caption with the given words; `--temperature` below 1 "
                "gives safer, less varied captions."],
               f"{command(args, [args.seeds[0]])} --methods mle-pretrain {method}",
               ship=f"--ship {method}")


DEFAULTS = {"pretrain_steps": 12500, "mle_steps": 5000, "d_pretrain_steps": 500,
            "adversarial_steps": 300}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--coco", type=Path, required=True)
    parser.add_argument("--runs", type=Path, default=ROOT / "runs" / "seqgan-coco")
    for name, value in DEFAULTS.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=int, default=value)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--methods", nargs="+", choices=METHODS, default=list(METHODS))
    parser.add_argument("--score-only", action="store_true")
    parser.add_argument("--ship", choices=["mle", "seqgan"])
    args = parser.parse_args()
    torch.set_num_threads(1)
    results.append(BENCH, task="seqgan", method="real-text",
                   options={"data": args.coco, "samples": SAMPLES}, seed=None, steps=None,
                   wall_seconds=None, metrics=real_text(args.coco), weights=None)
    scored = {}
    for seed in args.seeds:
        for method in args.methods:
            run = run_folder(args, method, seed)
            if not args.score_only:
                train_or_resume(build_game, SeqganConfig, "seqgan",
                                options(args, method, seed), run, steps=budget)
            if (run / "model.safetensors").exists():
                scored[method, seed] = result = score(run, args.coco)
                results.append(BENCH, task="seqgan", method=method,
                               options=options(args, method, seed), seed=seed,
                               steps=result["steps"], wall_seconds=result["seconds"],
                               metrics={k: result[k] for k in METRICS},
                               weights=run / "model.safetensors")
                print(f"{method}, seed {seed}: " + ", ".join(
                    f"{k} {result[k]:.3f}" for k in METRICS)
                    + f" ({result['seconds'] / 60:.1f} min)", flush=True)
    if args.ship:
        seed = args.seeds[0]
        if (args.ship, seed) not in scored:
            raise SystemExit(f"--ship: no {args.ship} run of seed {seed} under {args.runs}")
        ship(run_folder(args, args.ship, seed), args.ship, scored[args.ship, seed], args)
    body = table(results.load(BENCH), args)
    write_section(BENCH, body)
    print(body)


if __name__ == "__main__":
    main()
