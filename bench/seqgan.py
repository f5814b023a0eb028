"""SeqGAN vs maximum likelihood: the synthetic oracle (NLL-oracle) and real text (BLEU).

For each seed: an untrained generator (random), MLE pretraining of G, then from that same
checkpoint two continuations with the same number of G updates: more MLE (the baseline) and
SeqGAN (D pretraining, then policy-gradient updates of G with rollout rewards while D keeps
training). The oracle runs use a CPU-scaled variant of the paper's benchmark (smaller
vocabulary, shorter training); the text runs use the King James Bible built by the `kjv`
recipe (Debian's bible-kjv), scored against its held-out reference verses.

Usage: uv run python bench/seqgan.py [--seeds 0 1 2] [--oracle-vocab 1000]
                                     [--pretrain-steps N] [--adversarial-steps N]
Writes the README section `bench:seqgan`.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import torch

from readme_tables import hardware, write_section

PAPER = {"random": "10.310", "mle": "9.038", "seqgan": "8.736"}


def train_run(settings: dict, out: Path) -> tuple[dict[str, float], float]:
    """Train one configuration; (final metrics, wall seconds)."""
    from gantool.config import build
    from gantool.train import train
    from gantool_seqgan.config import SeqganConfig
    from gantool_seqgan.training import build_game

    config = build(SeqganConfig, {"device": "cpu", "threads": 1, "checkpoint_every": 0,
                                  **settings})
    start = time.perf_counter()
    metrics = train(lambda: build_game(config), config, out, task="seqgan", quiet=True)
    return metrics, time.perf_counter() - start


def untrained(settings: dict, seed: int) -> dict[str, float]:
    """Metrics of a freshly initialised generator (the 'random' row)."""
    from gantool.config import build
    from gantool.train.trainer import seed_everything
    from gantool_seqgan.config import SeqganConfig
    from gantool_seqgan.corpus import load_corpus
    from gantool_seqgan.models import Generator
    from gantool_seqgan.scores import score

    config = build(SeqganConfig, {**settings, "seed": seed})
    corpus = load_corpus(config)
    seed_everything(seed)
    generator = Generator(len(corpus.vocab), config.embedding, config.hidden)
    return score(generator, corpus, config.seq_len, config.eval_samples, seed)


def real_text(settings: dict) -> dict[str, float]:
    """BLEU and self-BLEU of held-in training windows: what real text scores."""
    from gantool.config import build
    from gantool_seqgan.bleu import bleu, self_bleu
    from gantool_seqgan.config import SeqganConfig
    from gantool_seqgan.corpus import load_corpus
    from gantool_seqgan.scores import SELF_BLEU_SAMPLES

    config = build(SeqganConfig, settings)
    corpus = load_corpus(config)
    order = torch.randperm(len(corpus.train), generator=torch.Generator().manual_seed(0))
    texts = [[corpus.vocab.tokens[i] for i in row]
             for row in corpus.train[order[: config.eval_samples]].tolist()]
    refs = [[corpus.vocab.tokens[i] for i in row] for row in corpus.reference.tolist()]
    scores = bleu(texts, refs)
    diversity = self_bleu(texts[:SELF_BLEU_SAMPLES])
    return {"bleu2": scores[1], "bleu3": scores[2], "bleu4": scores[3],
            "self_bleu2": diversity[1], "self_bleu4": diversity[3]}


def compare(name: str, settings: dict, args: argparse.Namespace, root: Path,
            results: list[dict]) -> None:
    """random, MLE pretraining, and the two continuations from it, for every seed."""
    for seed in args.seeds:
        base = {**settings, "seed": seed}
        results.append({"bench": name, "model": "random", "seed": seed, "seconds": 0.0,
                        **untrained(settings, seed)})
        pre = root / f"{name}-{seed}-pretrain"
        metrics, seconds = train_run({**base, "mode": "mle", "pretrain_steps": args.pretrain_steps,
                                      "adversarial_steps": 0}, pre)
        results.append({"bench": name, "model": "pretrain", "seed": seed, "seconds": seconds,
                        **metrics})
        init = {**base, "init": pre / "model.safetensors", "pretrain_steps": 0,
                "adversarial_steps": args.adversarial_steps}
        for mode in ("mle", "seqgan"):
            metrics, seconds = train_run({**init, "mode": mode}, root / f"{name}-{seed}-{mode}")
            results.append({"bench": name, "model": mode, "seed": seed, "seconds": seconds,
                            **metrics})
        for row in results[-4:]:
            shown = {k: round(v, 4) for k, v in row.items() if isinstance(v, float)}
            print(f"{name} seed {seed} {row['model']}: {shown}", flush=True)


def mean_std(values: list[float], digits: int) -> str:
    std = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.{digits}f} ± {std:.{digits}f}"


def cell(results: list[dict], bench: str, model: str, key: str, digits: int = 3) -> str:
    return mean_std([r[key] for r in results if r["bench"] == bench and r["model"] == model],
                    digits)


def seconds(results: list[dict], bench: str, model: str) -> str:
    runs = [r["seconds"] for r in results if r["bench"] == bench and r["model"] == model]
    return f"{statistics.mean(runs):.0f} s" if any(runs) else "-"


def shift(results: list[dict], bench: str, key: str) -> float:
    """Mean of SeqGAN minus mean of MLE at the same number of G updates."""
    def mean(model: str) -> float:
        return statistics.mean(r[key] for r in results
                               if r["bench"] == bench and r["model"] == model)

    return mean("seqgan") - mean("mle")


def summary(results: list[dict]) -> list[str]:
    """One computed sentence per table: what SeqGAN changed against MLE."""
    oracle = shift(results, "oracle", "nll_oracle")
    held_out = shift(results, "oracle", "nll_reference")
    text = {key: shift(results, "text", key)
            for key in ("bleu4", "self_bleu4", "nll_reference")}
    return [
        f"At equal G updates SeqGAN changes NLL-oracle by {oracle:+.3f} against MLE (the paper: "
        f"{float(PAPER['seqgan']) - float(PAPER['mle']):+.3f}) and G's held-out NLL by "
        f"{held_out:+.3f}; on the Bible it changes BLEU-4 by {text['bleu4']:+.3f}, self-BLEU-4 "
        f"by {text['self_bleu4']:+.3f} and the NLL on reference by {text['nll_reference']:+.3f}."
        " Lower NLL-oracle or higher BLEU with higher held-out NLL and self-BLEU means samples "
        "that are more typical but less varied, not a better model of the whole distribution.",
    ]


def tables(results: list[dict], real: dict[str, float], args: argparse.Namespace,
           total: float) -> str:
    p, a = args.pretrain_steps, args.adversarial_steps
    labels = {"random": "random (untrained G)", "pretrain": f"MLE, {p} updates",
              "mle": f"MLE, {p + a} updates", "seqgan": f"SeqGAN, {p} MLE + {a} PG updates"}
    seeds = ", ".join(map(str, args.seeds))
    lines = ["**Synthetic oracle: NLL-oracle (lower is better)**", "",
             "| model | NLL-oracle | G's NLL on held-out oracle data | wall time per run | "
             "paper NLL-oracle (vocabulary 5,000) |",
             "|---|---|---|---|---|"]
    for model in ("random", "pretrain", "mle", "seqgan"):
        paper = PAPER.get(model, "-") if model != "pretrain" else "-"
        lines.append(f"| {labels[model]} | {cell(results, 'oracle', model, 'nll_oracle')} | "
                     f"{cell(results, 'oracle', model, 'nll_reference')} | "
                     f"{seconds(results, 'oracle', model)} | {paper} |")
    lines += [
        "",
        f"CPU-scaled variant of the paper's benchmark: an N(0, 1) LSTM oracle (seed 1234) with "
        f"a vocabulary of {args.oracle_vocab:,} instead of 5,000; sequence length 20, 10,000 "
        "training sequences, embedding and hidden size 32 as in the paper. NLL-oracle is the "
        "oracle's mean negative log-likelihood per token of 1,000 generated sequences; the "
        "held-out NLL is the generator's own NLL per token of 1,000 fresh oracle sequences "
        "(it rises when G gives up parts of the oracle's distribution). Both "
        f"continuations start from the same {p}-update MLE checkpoint of each seed and give G "
        f"the same number of updates ({a}); SeqGAN first pretrains D for "
        f"{args.d_pretrain_steps} steps, then alternates one G update (batch 64, 16 rollouts "
        "per prefix, rollout rate 0.8) with 5 D mini-batches on fresh samples. The paper "
        "trains far longer (80 MLE epochs, 200 adversarial epochs with 5 x 3 D epochs each) "
        "with 5,000 tokens, so its numbers are shown for orientation, not as a match.",
        "",
        "**King James Bible: BLEU against held-out verses (higher is better) and self-BLEU "
        "(lower is more diverse)**",
        "",
        "| model | BLEU-2 | BLEU-3 | BLEU-4 | self-BLEU-2 | self-BLEU-4 | NLL on reference | "
        "wall time per run |",
        "|---|---|---|---|---|---|---|---|",
        f"| real text (training windows) | {real['bleu2']:.3f} | {real['bleu3']:.3f} | "
        f"{real['bleu4']:.3f} | {real['self_bleu2']:.3f} | {real['self_bleu4']:.3f} | - | - |",
    ]
    for model in ("random", "pretrain", "mle", "seqgan"):
        lines.append(
            f"| {labels[model]} | " + " | ".join(
                cell(results, "text", model, key) for key in
                ("bleu2", "bleu3", "bleu4", "self_bleu2", "self_bleu4", "nll_reference"))
            + f" | {seconds(results, 'text', model)} |")
    lines += [
        "",
        "Data: `gantool data build kjv` (31,102 verses; a seeded 10% of the verses is the "
        f"reference split). Word-level tokens, lowercased, the {args.text_vocab:,} most "
        "frequent kept (others are `<unk>`), windows of 20 tokens, 10,000 training windows; "
        "BLEU of 1,000 samples against all reference windows (corpus BLEU, clipped counts, "
        "closest-length brevity penalty), self-BLEU of 500 samples, NLL per token on the "
        "reference windows. Same schedule as the oracle.",
        "",
        *summary(results),
        "",
        f"Mean ± std over seeds {seeds}; every run on 1 CPU thread; {len(results)} runs, "
        f"{total / 60:.1f} min in all. Hardware: {hardware()}.",
        "Measured by `uv run python bench/seqgan.py`"
        + (f" with `{' '.join(args.changed)}`" if args.changed else "") + ".",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--oracle-vocab", type=int, default=1000)
    parser.add_argument("--text-vocab", type=int, default=1000)
    parser.add_argument("--pretrain-steps", type=int, default=1000)
    parser.add_argument("--d-pretrain-steps", type=int, default=200)
    parser.add_argument("--adversarial-steps", type=int, default=20)
    args = parser.parse_args()
    args.changed = [f"--{k.replace('_', '-')} {' '.join(map(str, v)) if isinstance(v, list) else v}"
                    for k, v in vars(args).items() if v != parser.get_default(k)]
    torch.set_num_threads(1)
    started = time.perf_counter()
    results: list[dict] = []
    common = {"d_pretrain_steps": args.d_pretrain_steps, "eval_samples": 1000}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        compare("oracle", {**common, "oracle": True, "oracle_vocab": args.oracle_vocab},
                args, root, results)
        from gantool_seqgan.recipes import kjv

        text = {**common, "data": kjv.build(None, root / "kjv", 0), "level": "word",
                "lowercase": True, "max_vocab": args.text_vocab}
        real = real_text(text)
        compare("text", text, args, root, results)
    body = tables(results, real, args, time.perf_counter() - started)
    write_section("seqgan", body)
    print(body)


if __name__ == "__main__":
    main()
