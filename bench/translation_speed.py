"""Training throughput of pix2pix and CycleGAN: the core's trainer against a hand-written loop.

Both sides train the same networks with the same losses on the same 128x128 batches in one
process. The trainer side is the real `gantool` game (the plugin's `build_game`, players,
`Trainer.fit`); the plain side is the loop one would write by hand (zero_grad, backward, step,
the critic frozen during the generator's update as in the papers' code). The two alternate
window by window: the trainer calls back every `--window` steps (its log interval), and the
callback times the plain loop for the same number of steps, so both see the same load on a
shared machine. Overhead = median trainer window / median plain window - 1, after warm-up.

Then the optimisations, on the plain loop, also interleaved window by window against the fp32
1-thread baseline: 2 threads, channels_last memory format, bf16 autocast (the trainer's
`--precision bf16`), and oneDNN (mkldnn) switched off to see what it contributes.

Usage: uv run python bench/translation_speed.py [--windows 5] [--warmup 2] [--batch-size 1]
Writes the README section `bench:translation-speed`.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import Tensor, nn

from readme_tables import hardware, write_section

SIZE = 128
IMAGES = 16
STEPS = {"pix2pix": 12, "cyclegan": 4}
"""Steps per timed window: a few seconds each on one thread."""


def write_images(root: Path) -> None:
    """Smooth random colour images: pix2pix grey|colour pairs and two CycleGAN domains."""
    rng = np.random.default_rng(0)
    for folder in ("p2p/train", "cyc/trainA", "cyc/trainB"):
        (root / folder).mkdir(parents=True)
    for i in range(IMAGES):
        small = rng.integers(0, 256, (16, 16, 3), dtype=np.uint8)
        colour = Image.fromarray(small).resize((SIZE, SIZE), Image.Resampling.BICUBIC)
        pair = Image.new("RGB", (2 * SIZE, SIZE))
        pair.paste(colour.convert("L").convert("RGB"), (0, 0))
        pair.paste(colour, (SIZE, 0))
        pair.save(root / f"p2p/train/{i:02d}.png")
        colour.save(root / f"cyc/trainA/{i:02d}.png")
        colour.transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(root / f"cyc/trainB/{i:02d}.png")


def configs(root: Path, batch_size: int, steps: int) -> dict:
    from gantool.config import build
    from gantool_translation.config import CycleGANConfig, Pix2PixConfig

    common = {"image_size": SIZE, "batch_size": batch_size, "steps": steps, "device": "cpu",
              "threads": 1, "checkpoint_every": 0, "seed": 0}
    return {"pix2pix": build(Pix2PixConfig, {"data": root / "p2p", **common}),
            "cyclegan": build(CycleGANConfig, {"data": root / "cyc", **common})}


def build_game(task: str, config):
    from gantool_translation import cyclegan, pix2pix

    return {"pix2pix": pix2pix.build_game, "cyclegan": cyclegan.build_game}[task](config)


def frozen(*networks: nn.Module) -> contextlib.ExitStack:
    """Critics out of autograd while the generator updates (the papers' set_requires_grad)."""
    stack = contextlib.ExitStack()
    for net in networks:
        net.requires_grad_(False)
        stack.callback(net.requires_grad_, True)
    return stack


@dataclass
class PlainLoop:
    """The hand-written training step of one task, with its own networks and optimizers."""

    step: Callable[[Tensor, Tensor], None]
    networks: dict[str, nn.Module]


def adam(*networks: nn.Module, lr: float) -> torch.optim.Adam:
    return torch.optim.Adam([p for n in networks for p in n.parameters()], lr=lr,
                            betas=(0.5, 0.999))


def plain_pix2pix(config, memory_format: torch.memory_format, autocast: bool) -> PlainLoop:
    from gantool_translation.models import pix2pix_networks

    nets = pix2pix_networks(config, {"channels_in": "1", "channels_out": "3"})
    G, D = (nets[k].to(memory_format=memory_format) for k in ("G", "D"))
    opt_g, opt_d = adam(G, lr=config.lr), adam(D, lr=config.lr)
    cast = _autocast(autocast)

    def step(source: Tensor, target: Tensor) -> None:
        with cast():
            fake = G(source)
            real_logits, fake_logits = D(torch.cat([source, target], 1)), D(
                torch.cat([source, fake.detach()], 1))
            d_loss = 0.5 * (F.binary_cross_entropy_with_logits(
                real_logits, torch.ones_like(real_logits)) + F.binary_cross_entropy_with_logits(
                fake_logits, torch.zeros_like(fake_logits)))
        opt_d.zero_grad()
        d_loss.backward()
        opt_d.step()
        with frozen(D), cast():
            logits = D(torch.cat([source, fake], 1))
            g_loss = (F.binary_cross_entropy_with_logits(logits, torch.ones_like(logits))
                      + config.l1_weight * F.l1_loss(fake, target))
            opt_g.zero_grad()
            g_loss.backward()
        opt_g.step()

    return PlainLoop(step, nets)


def plain_cyclegan(config, memory_format: torch.memory_format, autocast: bool) -> PlainLoop:
    from gantool.image_pool import ImagePool
    from gantool_translation.models import cyclegan_networks

    nets = cyclegan_networks(config, {"channels_a": "3", "channels_b": "3"})
    for net in nets.values():
        net.to(memory_format=memory_format)
    G_AB, G_BA, D_A, D_B = (nets[k] for k in ("G_AB", "G_BA", "D_A", "D_B"))
    pool_a, pool_b = (ImagePool(config.pool_size, (3, SIZE, SIZE)) for _ in range(2))
    opt_g, opt_d = adam(G_AB, G_BA, lr=config.lr), adam(D_A, D_B, lr=config.lr)
    generator = torch.Generator().manual_seed(0)
    cycle_w, identity_w = config.cycle_weight, config.cycle_weight * config.identity_weight
    cast = _autocast(autocast)

    def lsgan(scores: Tensor, target: float) -> Tensor:
        return 0.5 * (scores - target).pow(2).mean()

    def step(real_a: Tensor, real_b: Tensor) -> None:
        with frozen(D_A, D_B), cast():
            fake_b, fake_a = G_AB(real_a), G_BA(real_b)
            g_loss = (lsgan(D_B(fake_b), 1.0) + lsgan(D_A(fake_a), 1.0)
                      + cycle_w * (F.l1_loss(G_BA(fake_b), real_a)
                                   + F.l1_loss(G_AB(fake_a), real_b))
                      + identity_w * (F.l1_loss(G_AB(real_b), real_b)
                                      + F.l1_loss(G_BA(real_a), real_a)))
            opt_g.zero_grad()
            g_loss.backward()
        opt_g.step()
        with cast():
            old_b, old_a = pool_b.query(fake_b, generator), pool_a.query(fake_a, generator)
            d_loss = (lsgan(D_B(real_b), 1.0) + lsgan(D_B(old_b), 0.0)
                      + lsgan(D_A(real_a), 1.0) + lsgan(D_A(old_a), 0.0))
        opt_d.zero_grad()
        d_loss.backward()
        opt_d.step()

    return PlainLoop(step, nets)


def _autocast(enabled: bool) -> Callable[[], contextlib.AbstractContextManager]:
    if enabled:
        return lambda: torch.autocast("cpu", dtype=torch.bfloat16)
    return contextlib.nullcontext


PLAIN = {"pix2pix": plain_pix2pix, "cyclegan": plain_cyclegan}


def batches(game, batch_size: int, memory_format: torch.memory_format) -> Iterator:
    """Endless random batches of the game's own data set (the same images both sides see)."""
    generator = torch.Generator().manual_seed(1)
    data = game.data
    while True:
        items = [data[int(i)] for i in torch.randint(len(data), (batch_size,),
                                                      generator=generator)]
        yield tuple(torch.stack(x).contiguous(memory_format=memory_format)
                    for x in zip(*items, strict=True))


def time_plain(loop: PlainLoop, stream: Iterator, steps: int) -> float:
    start = time.perf_counter()
    for _ in range(steps):
        loop.step(*next(stream))
    return time.perf_counter() - start


class Interleaver:
    """Trainer events: between two trainer windows, time one plain window of equal length."""

    def __init__(self, loop: PlainLoop, stream: Iterator, steps: int) -> None:
        self.loop, self.stream, self.steps = loop, stream, steps
        self.trainer: list[float] = []
        self.plain: list[float] = []
        self.resumed = 0.0

    def gantool_train_start(self, **_) -> None:
        self.resumed = time.perf_counter()

    def gantool_step_end(self, **_) -> None:
        self.trainer.append(time.perf_counter() - self.resumed)
        self.plain.append(time_plain(self.loop, self.stream, self.steps))
        self.resumed = time.perf_counter()


def listening(recorder: Interleaver):
    """A plugin manager with `recorder` registered, as the CLI hands the trainer its plugins
    (the trainer's other events, evaluation, checkpoint and end, are not timed)."""
    from gantool.plugins import GantoolPluginManager

    manager = GantoolPluginManager()
    manager.register(recorder, name="interleaver")
    return manager


def overhead(task: str, root: Path, args: argparse.Namespace) -> dict:
    """Median trainer and plain windows (s) after warm-up, interleaved in one trainer run."""
    from gantool.train.trainer import Trainer, seed_everything

    steps = STEPS[task]
    windows = args.warmup + args.windows
    config = configs(root, args.batch_size, steps * windows)[task]
    seed_everything(0)
    game = build_game(task, config)
    loop = PLAIN[task](config, torch.contiguous_format, False)
    recorder = Interleaver(loop, batches(game, args.batch_size, torch.contiguous_format), steps)
    config.log_every = steps
    Trainer(game, config, root / f"run-{task}", task=task, events=listening(recorder),
            quiet=True).fit()
    trainer, plain = recorder.trainer[args.warmup:], recorder.plain[args.warmup:]
    return {"trainer": statistics.median(trainer) / steps,
            "plain": statistics.median(plain) / steps,
            "ratios": [t / p for t, p in zip(trainer, plain, strict=True)]}


VARIANTS = {
    "fp32, 1 thread (baseline)": {},
    "2 threads": {"threads": 2},
    "channels_last": {"memory_format": torch.channels_last},
    "bf16 autocast": {"autocast": True},
    "oneDNN (mkldnn) off": {"mkldnn": False},
}


def optimisations(task: str, root: Path, args: argparse.Namespace) -> dict[str, float]:
    """Median seconds per step of each plain-loop variant, windows taken round-robin."""
    steps = STEPS[task]
    config = configs(root, args.batch_size, 1)[task]
    game = build_game(task, config)
    runs = {}
    for name, variant in VARIANTS.items():
        memory_format = variant.get("memory_format", torch.contiguous_format)
        torch.manual_seed(0)
        runs[name] = (PLAIN[task](config, memory_format, variant.get("autocast", False)),
                      batches(game, args.batch_size, memory_format))
    times: dict[str, list[float]] = {name: [] for name in VARIANTS}
    for window in range(args.warmup + args.windows):
        for name, variant in VARIANTS.items():
            torch.set_num_threads(variant.get("threads", 1))
            with torch.backends.mkldnn.flags(enabled=variant.get("mkldnn", True)):
                seconds = time_plain(*runs[name], steps)
            if window >= args.warmup:
                times[name].append(seconds / steps)
    torch.set_num_threads(1)
    return {name: statistics.median(values) for name, values in times.items()}


def section(results: dict, args: argparse.Namespace, command: str) -> str:
    b = args.batch_size
    lines = ["**Core overhead** (same networks, losses and batches; windows interleaved in one "
             "process, 1 thread)", "",
             "| task | `gantool` trainer, images/s | plain PyTorch loop, images/s | overhead "
             "(median) | per-window overhead, min .. max |", "|---|---|---|---|---|"]
    for task, r in results.items():
        o = r["overhead"]
        lines.append(f"| {task} | {b / o['trainer']:.2f} | {b / o['plain']:.2f} | "
                     f"{100 * (o['trainer'] / o['plain'] - 1):+.1f}% | "
                     f"{100 * (min(o['ratios']) - 1):+.1f}% .. "
                     f"{100 * (max(o['ratios']) - 1):+.1f}% |")
    lines += ["", "**Optimisations** (plain loop, images/s and gain over the fp32 1-thread "
              "baseline, variants interleaved window by window)", "",
              "| variant | " + " | ".join(results) + " |", "|---|" + "---|" * len(results)]
    for name in VARIANTS:
        cells = []
        for r in results.values():
            base, t = r["variants"]["fp32, 1 thread (baseline)"], r["variants"][name]
            cells.append(f"{b / t:.2f} ({100 * (base / t - 1):+.0f}%)")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += [
        "",
        f"128x128 images, batch {b} (the papers' batch size), default networks of each task "
        "(pix2pix: U-Net depth 6, ngf 16, PatchGAN ndf 32; CycleGAN: ResNet ngf 16 with 4 "
        "blocks, PatchGAN ndf 32, 50-image pools). pix2pix: 1 grey -> 3 colour channels. "
        f"Windows of {STEPS['pix2pix']} (pix2pix) and {STEPS['cyclegan']} (CycleGAN) steps, "
        f"{args.warmup} warm-up windows dropped, median of {args.windows}. The machine is shared "
        "with other jobs, so absolute rates move between runs; ratios within a row are "
        "measured side by side. Overhead includes everything `Trainer.fit` adds: the batch "
        "stream (DataLoader), the step context, the finite-loss check, per-step learning-rate "
        "setting and the log window. "
        f"Hardware: {hardware()}.",
        f"Measured by `{command}`.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--windows", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(1)
    warnings.filterwarnings("ignore", message="TF32 acceleration on top of oneDNN")
    command = "uv run python bench/translation_speed.py" + "".join(
        f" --{k.replace('_', '-')} {v}" for k, v in vars(args).items()
        if v != parser.get_default(k))
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_images(root)
        for task in STEPS:
            results[task] = {"overhead": overhead(task, root, args),
                             "variants": optimisations(task, root, args)}
            print(task, results[task], flush=True)
    body = section(results, args, command)
    write_section("translation-speed", body)
    print(body)


if __name__ == "__main__":
    main()
