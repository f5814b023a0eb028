"""Voice conversion (VAW-GAN) on the espeak-ng speech corpus: VAE-only vs VAW-GAN.

Builds `speech-espeak` (4 voices x 50 Harvard sentences, 10 held out), trains for each seed a
VAE-only model and a VAW-GAN model (the same VAE pretraining, then the Wasserstein critic), both
with the same number of encoder/decoder updates, and evaluates both on every held-out sentence
converted between every ordered pair of speakers: mel-cepstral distortion against the target
speaker's utterance (DTW-aligned) and the share a speaker classifier trained on real training
speech labels as the target. Writes the spectrogram plot of seed 0 to plugins/vawgan/docs/.

Usage: uv run python bench/vawgan.py [--seeds 0 1] [--vae-steps N] [--gan-steps N]
Writes the README section `bench:vawgan`.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import torch

from readme_tables import hardware, write_section

ROOT = Path(__file__).resolve().parents[1]
PLOT = ROOT / "plugins" / "vawgan" / "docs" / "spectrograms.png"
ROWS = ("no conversion (source vs target)", "VAE-only (baseline)", "VAW-GAN")


def train_one(config: dict, out: Path) -> float:
    """Train one model in this process (WORLD features are cached across runs); seconds."""
    from gantool.config import build
    from gantool.train import train
    from gantool_vawgan.config import VawganConfig
    from gantool_vawgan.training import build_game

    parsed = build(VawganConfig, config)
    start = time.perf_counter()
    train(lambda: build_game(parsed), parsed, out, task="vawgan", quiet=True)
    return time.perf_counter() - start


def analyse_corpus(data: Path) -> None:
    """WORLD-analyse every file once up front (cached in this process), so the training times
    below measure training only."""
    from gantool.config import build
    from gantool_vawgan.config import VawganConfig
    from gantool_vawgan.corpus import load_split
    from gantool_vawgan.training import analysis_of

    analysis = analysis_of(build(VawganConfig, {"data": data}))
    for split in ("train", "test"):
        load_split(data, split, analysis)


def run_seed(data: Path, tmp: Path, seed: int, args: argparse.Namespace) -> dict:
    from gantool_vawgan.config import VawganEval
    from gantool_vawgan.evaluation import evaluate

    common = {"data": data, "seed": seed, "device": "cpu", "threads": 1, "checkpoint_every": 0,
              "vae_steps": args.vae_steps, "n_critic": args.n_critic}
    vae_steps = args.vae_steps + args.gan_steps // args.n_critic
    seconds = {
        "vae": train_one({**common, "mode": "vae", "vae_steps": vae_steps}, tmp / f"vae-{seed}"),
        "vawgan": train_one({**common, "mode": "vawgan", "gan_steps": args.gan_steps},
                            tmp / f"vawgan-{seed}"),
    }
    plot = PLOT if seed == args.seeds[0] else tmp / f"spectrograms-{seed}.png"
    plot.parent.mkdir(exist_ok=True)
    table = evaluate(VawganEval(weights=tmp / f"vawgan-{seed}" / "model.safetensors",
                                baseline=tmp / f"vae-{seed}" / "model.safetensors", plot=plot,
                                overwrite=True, seed=seed))[0]
    rows = {row[0]: row for row in table.rows}
    print(f"seed {seed}: " + "; ".join(f"{name} MCD {row[1]:.2f} dB, {row[3]:.0f}% as target"
                                       for name, row in rows.items())
          + f"; train {seconds['vae']:.0f} s + {seconds['vawgan']:.0f} s", flush=True)
    return {"seed": seed, "rows": rows, "seconds": seconds, "notes": table.notes}


def mean_std(values: list[float], digits: int = 2) -> str:
    std = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.{digits}f} ± {std:.{digits}f}"


def table(results: list[dict], args: argparse.Namespace, total: float) -> str:
    lines = ["| conversion | MCD dB (held out, DTW) | classified as target % |",
             "|---|---|---|"]
    for name in ROWS:
        lines.append(f"| {name} | {mean_std([r['rows'][name][1] for r in results])} | "
                     f"{mean_std([r['rows'][name][3] for r in results], 1)} |")
    mcd = {name: statistics.mean(r["rows"][name][1] for r in results) for name in ROWS[1:]}
    ident = {name: statistics.mean(r["rows"][name][3] for r in results) for name in ROWS[1:]}
    verdict = ("VAW-GAN beats VAE-only on MCD" if mcd["VAW-GAN"] < mcd["VAE-only (baseline)"]
               else "VAW-GAN does not beat VAE-only on MCD")
    verdict += (" and on speaker identification." if ident["VAW-GAN"] > ident[
        "VAE-only (baseline)"] else "; speaker identification: "
        f"{ident['VAW-GAN']:.1f}% vs {ident['VAE-only (baseline)']:.1f}%.")
    vae_s = [r["seconds"]["vae"] for r in results]
    gan_s = [r["seconds"]["vawgan"] for r in results]
    pairs = results[0]["rows"][ROWS[0]][-1]
    lines += [
        "",
        f"{verdict} (means over seeds; lower MCD is better.)",
        "",
        f"Corpus: `gantool data build speech-espeak` (espeak-ng voices us-m3, us-f3, gb-m7, "
        f"us-f4 reading 50 Harvard sentences; 40 train, 10 held out). Each held-out sentence "
        f"converted between every ordered speaker pair ({pairs} conversions), synthesised with "
        "WORLD and re-analysed; MCD over mel-cepstral coefficients 1-24 against the target "
        "speaker's own utterance, DTW-aligned, speech frames only; the speaker classifier (an "
        "MLP on single frames, trained on the real training sentences) labels "
        f"{results[0]['notes'][0].split('real held-out speech: ')[1].split('%')[0]}% of real "
        "held-out utterances correctly. Mean ± std over seeds "
        f"{', '.join(map(str, args.seeds))}. Budget: VAW-GAN {args.vae_steps} VAE steps + "
        f"{args.gan_steps} critic steps (n_critic {args.n_critic}, WGAN-GP), VAE-only "
        f"{args.vae_steps + args.gan_steps // args.n_critic} VAE steps (the same number of "
        f"encoder/decoder updates), batches of 256 frames, 1 CPU thread; training "
        f"{statistics.mean(vae_s):.0f} s (VAE-only) and {statistics.mean(gan_s):.0f} s "
        f"(VAW-GAN) per seed, {total / 60:.1f} min in all with the WORLD analysis (done once, "
        "not in the training times) and evaluation. "
        f"Hardware: {hardware()}.",
        "Spectrograms (seed 0, held-out sentence): "
        "[plugins/vawgan/docs/spectrograms.png](plugins/vawgan/docs/spectrograms.png).",
        "Measured by `uv run python bench/vawgan.py"
        + (f" --seeds {' '.join(map(str, args.seeds))}" if args.seeds != [0, 1] else "")
        + "`.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--vae-steps", type=int, default=2000)
    parser.add_argument("--gan-steps", type=int, default=2000)
    parser.add_argument("--n-critic", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(1)
    from gantool_vawgan.recipes.espeak import build

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        data = build(None, Path(tmp) / "speech", 0)
        analyse_corpus(data)
        results = [run_seed(data, Path(tmp), seed, args) for seed in args.seeds]
    body = table(results, args, time.perf_counter() - started)
    write_section("vawgan", body)
    print(body)


if __name__ == "__main__":
    main()
