"""DCGAN on scikit-learn's digits: FID, KID and 1-NN accuracy against 500 held-out digits.

Trains the `digits` demo with its default settings for each seed, scores generated digits,
and puts them between the floor (real training digits) and the ceiling (an untrained
generator), all in the same classifier feature space.

Usage: uv run python bench/digits.py [--steps N] [--seeds 0 1] [--threads 1]
Writes the README section `bench:digits`.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import torch

from gantool.config import build
from gantool.demos.digits import build_game, generate, generator, scorer
from gantool.demos.digits_config import DigitsConfig
from gantool.train import train
from gantool.train.trainer import seed_everything
from readme_tables import hardware, write_section


def row(label: str, scores: dict[str, float], seconds: str) -> str:
    return (f"| {label} | {scores['fid']:.3f} | {scores['kid']:.4f} | {scores['one_nn']:.3f} | "
            f"{seconds} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--threads", type=int, default=1,
                        help="torch threads (small convolutions run fastest on one)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    base = {"steps": args.steps, "device": "cpu", "threads": args.threads,
            "checkpoint_every": 0}
    config = build(DigitsConfig, base)
    scores = scorer(config.image_size, config.split_seed)
    seed_everything(0)
    untrained = generator(config.z_dim, config.width, config.image_size).eval()
    with torch.no_grad():
        floor = scores.score(generate(untrained, scores.size, config.z_dim, 0))
    rows = [row(f"real training digits ({scores.size} of {len(scores.split.train):,})",
                scores.real_reference(), "-"),
            row("untrained generator", floor, "-")]
    for seed in args.seeds:
        config = build(DigitsConfig, {**base, "seed": seed})
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            metrics = train(lambda c=config: build_game(c), config, Path(out),
                            task="digits", quiet=True)
            seconds = time.perf_counter() - start
        print(f"seed {seed}: {metrics} in {seconds:.0f} s", flush=True)
        rows.append(row(f"DCGAN, seed {seed}", metrics, f"{seconds:.0f} s"))
    body = "\n".join([
        f"| samples vs {scores.size} held-out digits | FID | KID | 1-NN accuracy | "
        "training wall time |",
        "|---|---|---|---|---|",
        *rows,
        "",
        f"{args.steps} steps per seed (seeds {', '.join(map(str, args.seeds))}), batch "
        f"{config.batch_size}, {config.image_size}x{config.image_size} digits, "
        f"{config.objective} objective, Adam lr {config.lr_g} (beta1 {config.beta1}) for both "
        f"players, z {config.z_dim}, width {config.width}; {scores.size} samples per row. "
        f"Features: `{scores.features.name}`, a small CNN trained on the "
        f"{len(scores.split.train):,} training digits (held-out accuracy "
        f"{scores.features.accuracy:.1%}). Lower FID/KID is "
        "better; 1-NN accuracy 0.5 means indistinguishable from held-out digits. Wall time "
        f"includes the final evaluation. Hardware: {hardware()}.",
        "Measured by `uv run python bench/digits.py`.",
    ])
    write_section("digits", body)
    print(body)


if __name__ == "__main__":
    main()
