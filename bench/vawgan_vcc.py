"""Voice conversion on real speech: VAE-only against VAW-GAN on VCC2016, the VAW-GAN paper's
corpus (source speakers SF1, SM1, target speakers TF1, TM1; 30 training and 5 evaluation
sentences each), in the paper's non-parallel setting; `--corpus arctic` does the same on the CMU
ARCTIC pair clb and slt (30 sentences each, 5 held out by the `parallel-speech` recipe).

The `vcc2016` recipe merges the release's training and evaluation folders (into
datasets/build/vcc2016, once). For each seed, one model of all four speakers per method, with
the same encoder/decoder updates: VAE-only, and VAW-GAN (the same VAE pretraining, then the
Wasserstein critic). Training never reads the evaluation sentences nor which speakers said the
same sentence. Each run is scored once, after its last step, on every evaluation sentence
converted from every speaker to every other (60 conversions), synthesised with WORLD and
re-analysed: MCD against the target speaker's own utterance (DTW-aligned, speech frames,
coefficients 1-24), the share a speaker classifier trained on the real training sentences labels
as the target, and the global variance of the converted cepstra over the target's.

Each scored run is recorded in bench/results/vawgan-vcc.jsonl (vawgan-arctic.jsonl) and the
tables are rebuilt from the records of this budget. `--ship` makes the first seed's VCC2016
VAW-GAN run the default model of `gantool run vawgan`, with its card and the spectrogram plot.

Usage: uv run python bench/vawgan_vcc.py --speech DATA/speech [--corpus arctic] [--seeds 0 1 2]
                                         [--ship]
Writes the section `bench:vawgan-vcc` (`bench:vawgan-arctic`) and its spectrogram plot in
plugins/vawgan/docs.
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import torch

import results
from gantool_vawgan.config import VawganConfig, VawganEval
from gantool_vawgan.evaluation import evaluate
from gantool_vawgan.inference import SHIPPED
from gantool_vawgan.models import EXPORTED
from gantool_vawgan.recipes import parallel, vcc2016
from gantool_vawgan.training import build_game
from kept_runs import records, train_or_resume, wall_time
from readme_tables import hardware, shown, write_section
from shipping import ship_networks, write_card

ROOT = Path(__file__).resolve().parents[1]
METHODS = ("vae", "vawgan")
ROWS = {"none": "no conversion (source vs target)", "vae": "VAE-only", "vawgan": "VAW-GAN"}
DOCS = ROOT / "plugins" / "vawgan" / "docs"


@dataclass(frozen=True)
class Corpus:
    """What the bench says and reads differently for each corpus."""

    bench: str
    """Its records file and docs section."""
    build: Callable[[Path, Path], Path]
    """(DATA/speech, out) -> the corpus folder with its held-out split."""
    others: str
    """The folder under DATA/speech of the speakers the speaker classifier also learns."""
    conversions: str
    voices: str
    """Whom the speaker classifier is trained on..."""
    also: str
    """... and whom it also learns."""
    plot: Path
    listen: Path | None
    """Where the plotted sentence's WAVs go (a corpus whose licence lets them be shared)."""


CORPORA = {
    "vcc2016": Corpus(
        "vawgan-vcc",
        lambda speech, out: vcc2016.build((speech / "vcc2016-train", speech / "vcc2016-eval"),
                                          out, 0),
        "cmu-arctic",
        "The 5 evaluation sentences of each speaker converted to each other speaker (60 "
        "conversions; training never hears them)",
        "the four speakers", "the two CMU ARCTIC speakers (clb, slt), so six voices compete",
        DOCS / "vcc2016-spectrograms.png", None),
    "arctic": Corpus(
        "vawgan-arctic", lambda speech, out: parallel.build(speech / "cmu-arctic", out, 0),
        "vcc2016-train",
        "The 5 held-out sentences (seed 0 of the `parallel-speech` recipe) of clb converted to "
        "slt and back (10 conversions; training never hears them)",
        "the two speakers", "the four VCC2016 speakers, so six voices compete",
        DOCS / "arctic-spectrograms.png", DOCS / "arctic"),
}


def corpus(args: argparse.Namespace) -> Path:
    """The corpus folder, built once from DATA/speech."""
    if (args.data / "split.json").exists():
        return args.data
    return CORPORA[args.corpus].build(args.speech, args.data)


def options(args: argparse.Namespace, method: str, seed: int) -> dict:
    """VAE-only gets the VAE steps plus the decoder updates of VAW-GAN's critic stage."""
    common = {"data": args.data, "seed": seed, "device": "cpu", "threads": 1,
              "checkpoint_every": 2000, "log_every": 500, "n_critic": args.n_critic}
    if method == "vae":
        return {**common, "mode": "vae",
                "vae_steps": args.vae_steps + args.gan_steps // args.n_critic}
    return {**common, "mode": "vawgan", "vae_steps": args.vae_steps,
            "gan_steps": args.gan_steps,
            **{name: getattr(args, name) for name in VARIANT_OPTIONS}}


def budget(config: VawganConfig) -> int:
    return config.vae_steps + (config.gan_steps if config.mode == "vawgan" else 0)


def run_folder(args: argparse.Namespace, method: str, seed: int) -> Path:
    """VAE-only runs are shared by every VAW-GAN variant (the baseline has no critic and no
    confusion term)."""
    variant = "" if method == "vae" else "".join(
        f"-{short}{getattr(args, name):g}" for name, (short, _) in VARIANT_OPTIONS.items()
        if getattr(args, name) != DEFAULTS[name])
    return args.runs / f"{method}{variant}-s{seed}"


def impostors(args: argparse.Namespace) -> Path:
    """The other corpus's speakers, whom the speaker classifier also learns."""
    return args.speech / CORPORA[args.corpus].others


def score(args: argparse.Namespace, seed: int, plot: Path,
          listen: Path | None) -> dict[str, dict]:
    """{row: metrics} of the seed's two runs (and of no conversion), one evaluation."""
    summary, by_pair, real = evaluate(VawganEval(
        weights=run_folder(args, "vawgan", seed) / "model.safetensors",
        baseline=run_folder(args, "vae", seed) / "model.safetensors", data=args.data,
        other_speakers=impostors(args), plot=plot, listen=listen, overwrite=True, seed=seed))
    scored = {}
    for key, row in zip(ROWS, summary.rows, strict=True):
        (_, mcd, _, identified, probability, similarity, variance, f0_rmse, f0_correlation,
         _) = row
        pairs = {pair[0]: pair[1 + list(ROWS).index(key)] for pair in by_pair.rows}
        scored[key] = {"mcd": mcd, "identified": identified, "probability": probability,
                       "similarity": similarity, "variance": variance,
                       "f0_rmse": f0_rmse, "f0_correlation": f0_correlation,
                       **{f"mcd {pair}": value for pair, value in pairs.items()}}
    scored["none"]["real_probability"] = real.rows[0][2]
    scored["none"]["real_similarity"] = real.rows[0][3]
    return scored


def table(recorded: list[dict], args: argparse.Namespace) -> str:
    """The tables of the default critic weight (other weights: the ablation under them)."""
    args = argparse.Namespace(**{**vars(args), **{k: DEFAULTS[k] for k in VARIANT_OPTIONS}})
    none_options = {"data": args.data}
    rows, missing, machines = results.rows_of(
        recorded, ROWS, lambda m: none_options if m == "none" else options(args, m, 0))
    spec = CORPORA[args.corpus]
    if machines is None:
        return results.pending(spec.bench, missing) + "\n"
    lines = ["| conversion | MCD dB | classified as target % | target frame probability % | "
             "target similarity | GV ratio | F0 RMSE Hz | F0 correlation | wall time per run |",
             "|---" * 9 + "|"]
    for method, row in rows.items():
        took = f"{row.wall_seconds() / 60:.1f} min" if method != "none" else "–"
        lines.append(f"| {row.label(ROWS[method], machines)} | {row.spread('mcd', 2)} | "
                     f"{row.spread('identified', 1)} | "
                     f"{row.spread('probability', 1)} | "
                     f"{row.spread('similarity', 3)} | {row.spread('variance', 2)} | "
                     f"{row.spread('f0_rmse', 1)} | "
                     f"{row.spread('f0_correlation', 2)} | {took} |")
    pairs = sorted(k.removeprefix("mcd ") for k in rows[next(iter(rows))].records[0]["metrics"]
                   if k.startswith("mcd "))
    lines += ["", "MCD dB by ordered speaker pair (source -> target):", "",
              "| pair | " + " | ".join(ROWS[m] for m in rows) + " |",
              "|---" * (len(rows) + 1) + "|"]
    for pair in pairs:
        lines.append(f"| {pair} | " + " | ".join(row.spread(f'mcd {pair}', 2)
                                                   for row in rows.values()) + " |")
    notes = [*machines.notes(), *([results.pending(spec.bench, missing)] if missing else [])]
    lines += ["", *notes] if notes else []
    if {"vae", "vawgan"} <= set(rows):
        lines += ["", f"VAW-GAN's MCD is below VAE-only's on "
                      f"{below(rows['vawgan'], rows['vae'], pairs)} of the {len(pairs)} "
                      "ordered pairs (means over seeds)."]
        lines += variants(recorded, args, rows["vae"], pairs)
    seeds = sorted({r["seed"] for row in rows.values() for r in row.records
                    if r["seed"] is not None})
    lines += [
        "",
        f"Mean ± std over seeds {', '.join(map(str, seeds))}. {spec.conversions}, "
        "synthesised with WORLD and re-analysed. MCD: mel-cepstral coefficients 1-24 "
        "against the target speaker's own utterance of the sentence, DTW-aligned, speech "
        "frames only; lower is better. Classified as target: a frame-level MLP speaker "
        f"classifier trained on the real training sentences of {spec.voices} labels the "
        "utterance; target frame probability: its mean probability of the target over the "
        "frames, a graded score; target similarity: the cosine of the utterance's embedding "
        "(the classifier's mean hidden activation, centred on the mean training utterance's) "
        "to the target speaker's centroid (real held-out speech of each speaker: "
        f"{real_ceiling(rows)}). The classifier also learns {spec.also}. GV ratio: "
        "the global variance of the converted cepstra over the target utterance's (1 is real "
        "speech; below 1, over-smoothed). F0: the converted F0 (the log-Gaussian transform of "
        "the source's) against the target utterance's, over the frame pairs of the MCD's "
        "alignment voiced in both. Budget: VAW-GAN "
        f"{args.vae_steps:,} VAE steps, then {args.gan_steps:,} critic steps with an "
        f"encoder/decoder update every {args.n_critic} (WGAN-GP); VAE-only "
        f"{args.vae_steps + args.gan_steps // args.n_critic:,} VAE steps, the same number of "
        "encoder/decoder updates; batches of 256 frames, 1 CPU thread. The paper (Hsu et al. "
        "2017) reports listening tests (MOS), not MCD, so no figure of its stands beside ours.",
        f"Measured on {hardware(machines.usual)} with `{command(args, seeds)}`. Spectrograms "
        f"(a held-out sentence): [{shown(spec.plot)}]({shown(spec.plot)})."
        + ("" if spec.listen is None else " Listen: " + ", ".join(
            f"[{name}]({shown(spec.listen / f'{wav}.wav')})" for name, wav in LISTEN) + ".")]
    return "\n".join(lines) + "\n"


LISTEN = (("source", "source"), ("VAE-only", "baseline"), ("VAW-GAN", "converted"),
          ("target", "target"))
"""The WAVs `gantool eval vawgan --listen` writes, as the table names them."""


def above(row: results.Row, baseline: results.Row) -> bool:
    """Whether the row's mean MCD over pairs is above the baseline's."""
    return statistics.mean(row.values("mcd")) > statistics.mean(baseline.values("mcd"))


def below(row: results.Row, baseline: results.Row, pairs: list[str]) -> int:
    """On how many pairs the row's mean MCD is below the baseline's."""
    return sum(statistics.mean(row.values(f"mcd {pair}"))
               < statistics.mean(baseline.values(f"mcd {pair}")) for pair in pairs)


def default_variant(args: argparse.Namespace) -> bool:
    return all(getattr(args, name) == DEFAULTS[name] for name in VARIANT_OPTIONS)


def variants(recorded: list[dict], args: argparse.Namespace, vae: results.Row,
             pairs: list[str]) -> list[str]:
    """The ablation of the VAW-GAN options (VARIANT_OPTIONS), when runs of other values than
    the table's are recorded."""
    names = list(VARIANT_OPTIONS)
    values = sorted({tuple(r["options"][name] for name in names) for r in recorded
                     if r["method"] == "vawgan" and VARIANT_OPTIONS.keys() <= r["options"].keys()})
    rows = {}
    for value in values:
        chosen = argparse.Namespace(**{**vars(args), **dict(zip(names, value, strict=True))})
        if (kept := results.row(recorded, "vawgan", options(chosen, "vawgan", 0))).seeds:
            rows[value] = kept
    if len(rows) < 2:
        return []
    columns = [title for _, title in VARIANT_OPTIONS.values()]
    lines = ["", "Ablation of VAW-GAN's options: the critic's weight alpha in the decoder's loss, "
                 "the weight of the speaker-confusion term on z, whether the critic's verdict "
                 "trains the encoder too, and the weight of the cycle term on conversions (the "
                 "same VAE-only runs as the baseline; the VAE-only row for comparison):", "",
             "| " + " | ".join(columns) + " | MCD dB | pairs below VAE-only | target similarity "
             "| GV ratio |", "|---" * (len(columns) + 4) + "|",
             f"| VAE-only ({vae.seeds} seed{'' if vae.seeds == 1 else 's'}) | "
             + "– | " * (len(columns) - 1) + f"{vae.spread('mcd', 2)} | – | "
             f"{vae.spread('similarity', 3)} | {vae.spread('variance', 2)} |"]
    for (weight, *others), row in rows.items():
        lines.append(f"| {weight:g} ({row.seeds} seed{'' if row.seeds == 1 else 's'}) | "
                     + "".join(f"{shown_value(v)} | " for v in others)
                     + f"{row.spread('mcd', 2)} | {below(row, vae, pairs)} of {len(pairs)} | "
                     f"{row.spread('similarity', 3)} | {row.spread('variance', 2)} |")
    tried = [name for index, name in enumerate(names) if index
             and any(value[index] != DEFAULTS[name] for value in rows)]
    return lines + ["", "A larger alpha sharpens the decoder's output (GV ratio towards 1) and "
                        "MCD rises, most between speakers of different sex."
                    + "".join(f" {REMEDIES[name]}: {effect(rows, name)}"
                              for name in tried)
                    + (" None of them brings MCD below VAE-only's. MCD is a squared error, "
                       "and the conditional mean that the VAE estimates already minimises it: "
                       "frames made sharper but not exactly the target's raise it, whatever "
                       "keeps the source speaker out of z." if tried and all(
                           above(row, vae) for value, row in rows.items()
                           if value[1:] != tuple(DEFAULTS[n] for n in names[1:])) else "")
                    + " Measured with `--gan-weight ALPHA`"
                    + "".join(f" and `{FLAGS[name]}`" for name in tried) + "."]


REMEDIES = {"speaker_confusion": "The speaker-confusion term (a probe learns the speaker from z, "
                                 "the encoder is trained to leave it at chance; Chou et al. "
                                 "2018) is meant to keep the source speaker's traits out of z",
            "adversarial_encoder": "Letting the critic's verdict on conversions train the "
                                   "encoder too is meant to drive the source speaker's traits "
                                   "out of z",
            "cycle_weight": "The cycle term (a conversion, converted back, must give the source "
                            "frame again; as in CycleGAN-VC) is meant to keep the frame's "
                            "content under the critic's pull"}
"""What each option other than alpha is meant to do, as the ablation's note says it."""
FLAGS = {"speaker_confusion": "--speaker-confusion BETA",
         "adversarial_encoder": "--adversarial-encoder", "cycle_weight": "--cycle-weight W"}


def shown_value(value: float | bool) -> str:
    return ("yes" if value else "no") if isinstance(value, bool) else f"{value:g}"


def effect(rows: dict[tuple, results.Row], name: str) -> str:
    """What the option `name` did to MCD, against the same options without it."""
    index, default = list(VARIANT_OPTIONS).index(name), DEFAULTS[name]
    said = []
    for value, row in rows.items():
        without = (*value[:index], default, *value[index + 1:])
        if value[index] != default and without in rows:
            at = "" if isinstance(default, bool) else f"at {value[index]:g} "
            said.append(f"{at}with alpha {value[0]:g}, MCD {row.spread('mcd', 2)} dB against "
                        f"{rows[without].spread('mcd', 2)} dB without it")
    return "; ".join(said) + "." if said else "no run without it to compare with."


def real_ceiling(rows: dict) -> str:
    """The classifier's scores of real held-out speech, recorded with the no-conversion row."""
    none = rows.get("none")
    probability = none.values("real_probability") if none else []
    similarity = none.values("real_similarity") if none else []
    if not probability:
        return "not recorded"
    return (f"frame probability {statistics.mean(probability):.1f} %"
            + (f", similarity {statistics.mean(similarity):.3f}" if similarity else ""))


def command(args: argparse.Namespace, seeds: list[int]) -> str:
    changed = "".join(f" --{name.replace('_', '-')}"
                      + ("" if isinstance(value, bool) else f" {getattr(args, name)}")
                      for name, value in DEFAULTS.items() if getattr(args, name) != value)
    corpus = "" if args.corpus == "vcc2016" else f" --corpus {args.corpus}"
    return (f"uv run python bench/vawgan_vcc.py --speech {shown(args.speech)}{corpus} --seeds "
            f"{' '.join(map(str, seeds))}{changed}")


def ship(run: Path, scored: dict, seconds: float, args: argparse.Namespace) -> None:
    shipped = ship_networks(run, SHIPPED, "vawgan", list(EXPORTED))
    config = shipped.config
    mine, vae = scored["vawgan"], scored["vae"]
    rows = [
        ("task", "`vawgan`: converts speech to one of the speakers SF1, SM1, TF1, TM1 "
                 "(`--target-speaker`)"),
        ("network", f"frame-wise VAE: encoder and decoder MLPs of {config['hidden']} units, "
                    f"code z of {config['latent']}, speaker embedding of "
                    f"{config['speaker_dim']}; {shipped.parameters:,} parameters, "
                    f"{shipped.megabytes:.1f} MB float32 safetensors"),
        ("features", "WORLD at 16 kHz, 5 ms frames: mel-cepstrum of order 24 (c1-c24 "
                     "converted), log F0 by the log-Gaussian transform, aperiodicity kept"),
        ("data", "VCC2016 training sentences of SF1, SM1, TF1, TM1 (30 each, "
                 f"`{shown(args.speech)}/vcc2016-train`), without using the pairing"),
        ("method", f"VAW-GAN: {config['vae_steps']:,} VAE steps, then {config['gan_steps']:,} "
                   f"critic steps (n_critic {config['n_critic']}, WGAN-GP)"),
        ("training", f"seed {config['seed']}, 1 CPU thread, {seconds / 60:.1f} min on "
                     f"{hardware()}"),
        ("picked", "the VAW-GAN run of the first seed, chosen before training"),
        ("scores", f"on the 60 conversions of the VCC2016 evaluation sentences: MCD "
                   f"**{mine['mcd']:.2f} dB** (VAE-only {vae['mcd']:.2f}, no conversion "
                   f"{scored['none']['mcd']:.2f}), classified as the target "
                   f"{mine['identified']:.1f} %, GV ratio {mine['variance']:.2f}"),
    ]
    write_card(shipped, "The default model of `gantool run vawgan`: non-parallel voice "
               "conversion between four VCC2016 speakers (Hsu et al. 2017).", rows,
               ["For `gantool run` the input's own log-F0 statistics stand in for its "
                "speaker's, which the model cannot know."],
               command(args, [args.seeds[0]]))


DEFAULTS = {"vae_steps": 15000, "gan_steps": 10000, "n_critic": 5, "gan_weight": 1.0,
            "speaker_confusion": 0.0, "adversarial_encoder": False, "cycle_weight": 0.0}
VARIANT_OPTIONS = {"gan_weight": ("gw", "alpha"), "speaker_confusion": ("sc", "speaker confusion"),
                   "adversarial_encoder": ("ae", "adversarial encoder"),
                   "cycle_weight": ("cw", "cycle")}
"""The VAW-GAN options the ablation varies: their short names in run folders, their columns."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--speech", type=Path, required=True,
                        help="the folder holding vcc2016-train, vcc2016-eval and cmu-arctic")
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="vcc2016",
                        help="the speakers to convert between (the other corpus's speakers "
                             "join the speaker classifier)")
    parser.add_argument("--data", type=Path, default=None,
                        help="where the corpus is built (default datasets/build/CORPUS)")
    parser.add_argument("--runs", type=Path, default=None,
                        help="default runs/vawgan-vcc (runs/vawgan-arctic)")
    for name, value in DEFAULTS.items():
        flag = f"--{name.replace('_', '-')}"
        if isinstance(value, bool):
            parser.add_argument(flag, action="store_true")
        else:
            parser.add_argument(flag, type=type(value), default=value)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--score-only", action="store_true")
    parser.add_argument("--ship", action="store_true")
    args = parser.parse_args()
    spec = CORPORA[args.corpus]
    args.data = args.data or ROOT / "datasets" / "build" / args.corpus
    args.runs = args.runs or ROOT / "runs" / spec.bench
    if args.ship and args.corpus != "vcc2016":
        parser.error("--ship ships the VCC2016 model only")
    torch.set_num_threads(1)
    if not args.score_only:
        corpus(args)
    first = {}
    for seed in args.seeds:
        runs = {method: run_folder(args, method, seed) for method in METHODS}
        for method, run in runs.items():
            if not args.score_only:
                train_or_resume(build_game, VawganConfig, "vawgan", options(args, method, seed),
                                run, steps=budget)
        if not all((run / "model.safetensors").exists() for run in runs.values()):
            continue
        plot = (spec.plot if seed == args.seeds[0] and default_variant(args)
                else runs["vawgan"] / "spectrograms.png")
        scored = score(args, seed, plot, spec.listen if plot == spec.plot else None)
        seconds = {m: wall_time(records(run)) for m, run in runs.items()}
        for key, metrics in scored.items():
            run = runs.get(key)
            results.append(spec.bench, task="vawgan", method=key,
                           options={"data": args.data} if run is None
                           else options(args, key, seed),
                           seed=seed,
                           steps=None if run is None else max(r["step"] for r in records(run)),
                           wall_seconds=None if run is None else seconds[key],
                           metrics=metrics,
                           weights=None if run is None else run / "model.safetensors")
        print(f"seed {seed}: " + "; ".join(f"{ROWS[k]} MCD {m['mcd']:.2f} dB, "
                                           f"{m['identified']:.0f} % as target, GV "
                                           f"{m['variance']:.2f}" for k, m in scored.items()),
              flush=True)
        if seed == args.seeds[0]:
            first = {"scored": scored, "seconds": seconds["vawgan"]}
    if args.ship:
        if not first:
            raise SystemExit(f"--ship: seed {args.seeds[0]} has no scored runs under {args.runs}")
        ship(run_folder(args, "vawgan", args.seeds[0]), first["scored"], first["seconds"], args)
    body = table(results.load(spec.bench), args)
    write_section(spec.bench, body)
    print(body)


if __name__ == "__main__":
    main()
