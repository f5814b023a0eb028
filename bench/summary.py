"""The front page's results summary: each application's headline figure on held-out data, beside
its baseline from the same bench and the paper's figure, read from the committed results
records alone (bench/results/), so it trains and measures nothing.

Usage: uv run python bench/summary.py
Writes the README section `bench:summary`.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import results
from readme_tables import README, write_section
from vawgan_vcc import DEFAULTS as VAWGAN_DEFAULTS
from vawgan_vcc import VARIANT_OPTIONS as VAWGAN_VARIANTS

VAWGAN_DEFAULT_VARIANT = {name: VAWGAN_DEFAULTS[name] for name in VAWGAN_VARIANTS}
"""The options of the VAW-GAN bench's main table, whose ablations share its records."""


@dataclass(frozen=True)
class Headline:
    application: str
    bench: str
    method: str
    baseline: str
    metric: str
    unit: str
    paper: str
    """The paper's figure for `method` with its source, or why there is none."""
    lower_is_better: bool = False
    digits: int = 2
    where: dict | None = None
    """Options the headline's records must have (the bench's defaults, where it also records
    ablations)."""


HEADLINES = (
    Headline("super-resolution x4 (`superres`), PSNR-Y on BSD68", "superres",
             "srresnet (PSNR model)", "bicubic", "psnr", " dB",
             "SRResNet 27.58 dB, bicubic 25.94 dB, on BSD100 (Ledig et al. 2017; a GPU budget)"),
    Headline("brain-tumour segmentation (`segan`), per-patient Dice on held-out LGG patients",
             "segan-lgg", "segan+dice", "dice-bce", "dice", "",
             "U-Net on three MR sequences: 0.82 (Buda et al. 2019)", digits=3),
    Headline("facades labels -> photo (`pix2pix`), KID x1000 on the 106 test pairs",
             "translation-facades", "pix2pix-l1+cgan", "pix2pix-l1", "kid", "",
             "no figure for facades (Isola et al. 2017 show them qualitatively)",
             lower_is_better=True),
    Headline("MNIST with 100 labels (`ssl-gan`), test error", "semisup-mnist", "ssl-gan",
             "supervised", "error", " %", "0.93 % (Salimans et al. 2016)", lower_is_better=True),
    Headline("MNIST -> MNIST-M (`dann`), target test accuracy", "dann-mnist", "dann",
             "source-only", "target", " %", "76.66 % (Ganin et al. 2016)"),
    Headline("COCO captions (`seqgan`), BLEU-4 against the 10,000 test captions", "seqgan-coco",
             "seqgan", "mle", "bleu4", "", "SeqGAN 0.294 (Texygen, Zhu et al. 2018)", digits=3),
    Headline("VCC2016 voice conversion (`vawgan`), MCD on the evaluation sentences",
             "vawgan-vcc", "vawgan", "vae", "mcd", " dB",
             "listening tests only (Hsu et al. 2017 report MOS, not MCD)", lower_is_better=True,
             where=VAWGAN_DEFAULT_VARIANT),
)


UNSHARED = frozenset({"weights", "loss", "mode", "method", "dice_weight", "supervised_only",
                      "vae_steps", "gan_steps", *VAWGAN_VARIANTS, "adversarial_steps",
                      "d_pretrain_steps"})
"""Options that set a model apart from its baseline in the same bench (the baseline is read
at the model's other options: data, sizes, seeds' budget)."""


PER_SEED = frozenset({"init"})
"""Options that differ from seed to seed of one row (each seed continues its own pretrained
model), so a row is read without them."""


def shared(options: dict) -> dict:
    """The options a model's baseline is read at."""
    return {k: v for k, v in options.items() if k not in UNSHARED}


def figure(records: list[dict], metric: str, unit: str, digits: int = 2) -> str:
    values = [r["metrics"][metric] for r in records if r["metrics"].get(metric) is not None]
    if not values:
        return "–"
    seeds = f" ({len(values)} seed{'s' if len(values) > 1 else ''})" \
        if records[0]["seed"] is not None else ""
    spread = f" ± {statistics.stdev(values):.{digits}f}" if len(values) > 1 else ""
    return f"{statistics.mean(values):.{digits}f}{spread}{unit}{seeds}"


def latest_row(recorded: list[dict], method: str, where: dict | None = None,
               baseline: str | None = None) -> tuple[list[dict], dict]:
    """The records of `method` under the options of its most recent record that has the
    options `where` (one per seed), and those options, so a baseline is read at the same
    budget; with `baseline`, the most recent options at which the baseline was measured too
    (any, if it never was)."""
    mine = [r for r in recorded if results.matches(r, method, where or {})]
    if baseline is not None:
        paired = [r for r in mine if results.row(recorded, baseline, shared(r["options"])).seeds]
        mine = paired or mine
    if not mine:
        return [], {}
    newest = max(mine, key=lambda r: r["recorded"])["options"]
    options = {k: v for k, v in newest.items() if k not in PER_SEED}
    return results.row(recorded, method, options).records, options


def summary() -> str:
    lines = ["| application | model | baseline, same bench | the paper |",
             "|---|---|---|---|"]
    measured = []
    for headline in HEADLINES:
        recorded = results.load(headline.bench)
        mine, options = latest_row(recorded, headline.method, headline.where,
                                   headline.baseline)
        if not mine:
            lines.append(f"| {headline.application} | not measured yet | | {headline.paper} |")
            continue
        base = results.row(recorded, headline.baseline, shared(options))
        shown = (headline.metric, headline.unit, headline.digits)
        baseline = (f"{headline.baseline}: {figure(base.records, *shown)}"
                    if base.seeds else f"{headline.baseline}: not measured yet")
        lines.append(f"| {headline.application} | {headline.method}: "
                     f"**{figure(mine, *shown)}** | {baseline} | {headline.paper} |")
        measured += mine
    machines = results.machines(measured) if measured else None
    lines += ["", ("Lower is better for error and KID, higher for the rest. Figures from "
                   f"different machines are marked in their own tables; most were measured on "
                   f"{results.hardware(machines.usual)}." if machines else ""),
              "Written by `uv run python bench/summary.py`."]
    return "\n".join(lines) + "\n"


def main() -> None:
    write_section("summary", summary(), (README,))


if __name__ == "__main__":
    main()
