"""The front page's demos: each shipped model's `gantool run` command on its committed sample
(never trained on), run for real, with a picture of that very output and one line on what the
model was trained on and how it scores, read from the committed results records.

Usage: uv run python bench/demos.py
Writes docs/demos/*.png and the README section `bench:demos`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

import results
from readme_tables import README, relative, shown, write_section
from summary import VAWGAN_DEFAULT_VARIANT, figure, latest_row

ROOT = README.parent
SAMPLES = ROOT / "datasets" / "samples"
PICTURES = ROOT / "docs" / "demos"
SIDE = 256


@dataclass(frozen=True)
class Demo:
    name: str
    title: str
    sample: str | None
    """The committed sample it reads; None for a run that reads no file (it samples)."""
    arguments: tuple[str, ...]
    """`gantool` arguments after the input."""
    picture: Callable[[Path, Path], list[Image.Image]] | None
    """(input, output folder) -> the panels shown side by side; None for a printed result."""
    about: Callable[[], str]
    listen: str | None = None
    """An output file kept in docs/demos and linked beside the sample, for output one hears."""


def _gantool(task: str, source: Path | None, arguments: tuple[str, ...], clone: Path) -> str:
    """Run `gantool run TASK [--input SOURCE] ARGUMENTS` as a user would, from the root of
    `clone`; its stdout."""
    given = ["--input", str(source.relative_to(clone))] if source else []
    command = [str(Path(sys.executable).with_name("gantool")), "run", task, *given,
               *arguments]
    done = subprocess.run(command, capture_output=True, text=True, cwd=clone)
    if done.returncode:
        raise SystemExit(f"demo `{' '.join(command)}` failed: {done.stderr.strip()}")
    return done.stdout


def _panel(image: Image.Image, side: int = SIDE) -> Image.Image:
    return image.convert("RGB").resize((side, side), Image.NEAREST if image.width < side
                                       else Image.LANCZOS)


def superres_panels(source: Path, folder: Path) -> list[Image.Image]:
    """The input's centre quarter enlarged 4x by the browser's usual bicubic, and the same
    region of the model's 4x output."""
    small, large = Image.open(source), Image.open(folder / f"{source.stem}_x4.png")
    box = (small.width // 4, small.height // 4, small.width * 3 // 4, small.height * 3 // 4)
    region = small.crop(box)
    bicubic = region.resize((region.width * 4, region.height * 4), Image.BICUBIC)
    model = large.crop(tuple(4 * v for v in box))
    return [_panel(bicubic, 2 * SIDE), _panel(model, 2 * SIDE)]


def segan_panels(source: Path, folder: Path) -> list[Image.Image]:
    truth = Image.open(SAMPLES / "segan_flair_tumour.png")
    return [_panel(Image.open(source)), _panel(Image.open(folder / f"{source.stem}_overlay.png")),
            _panel(truth)]


def pix2pix_panels(source: Path, folder: Path) -> list[Image.Image]:
    output = folder / f"{source.stem}_pix2pix_BtoA.png"
    return [_panel(Image.open(source)), _panel(Image.open(output)),
            _panel(Image.open(SAMPLES / "facade_photo.png"))]


def cyclegan_panels(source: Path, folder: Path) -> list[Image.Image]:
    output = folder / f"{source.stem}_cyclegan_AtoB.png"
    return [_panel(Image.open(source)), _panel(Image.open(output)),
            _panel(Image.open(SAMPLES / "facade_photo.png"))]


def spectrogram(path: Path) -> Image.Image:
    """A WAV file's log-magnitude spectrogram (the plugin's: torchaudio, 60 dB range), low
    frequencies at the bottom, coloured as the plugin's plots are."""
    import numpy as np
    import soundfile
    from matplotlib import colormaps

    from gantool_vawgan.plots import log_spectrogram

    wave, rate = soundfile.read(path, dtype="float64")
    decibels = log_spectrogram(wave, rate)
    shade = ((decibels - decibels.min()) / max(1e-9, np.ptp(decibels)))[::-1]
    pixels = (colormaps["magma"](shade)[..., :3] * 255).astype(np.uint8)
    return Image.fromarray(pixels).resize((2 * SIDE, SIDE), Image.LANCZOS)


def vawgan_panels(source: Path, folder: Path) -> list[Image.Image]:
    return [spectrogram(source), spectrogram(folder / f"{source.stem}-to-TM1.wav")]


def segan_patients() -> int:
    """How many patients the shipped segmentor trained on (its split is shipped beside it)."""
    from gantool_segan.inference import SHIPPED
    from gantool_segan.patients import SPLIT_FILE

    return len(json.loads(SHIPPED.with_name(SPLIT_FILE).read_text())["train"])


def shipped_segan() -> tuple[str, str]:
    """The shipped segmentor's bench method and how it was trained, in words."""
    from gantool.metadata import read_metadata
    from gantool_segan.inference import SHIPPED

    config = json.loads(read_metadata(SHIPPED)["config"])
    if config["method"] == "dice-bce":
        return "dice-bce", "with Dice + BCE, the SegAN plugin's non-adversarial baseline"
    if config["dice_weight"]:
        return "segan+dice", "as SegAN with a Dice term"
    return "segan", "as SegAN"


def shipped_seqgan() -> str:
    """The method of the shipped caption model (the bench's row name)."""
    from gantool.metadata import read_metadata
    from gantool_seqgan.inference import SHIPPED

    config = json.loads(read_metadata(SHIPPED)["config"])
    return "seqgan" if config["mode"] == "seqgan" else "mle"


def shipped_dann() -> dict:
    """The budget and recipe the shipped DANN model was trained with, so the demo quotes the
    records of that recipe (the bench records others too)."""
    from gantool.metadata import read_metadata
    from gantool_dann.inference import SHIPPED

    config = json.loads(read_metadata(SHIPPED)["config"])
    return {key: config[key] for key in ("steps", "optimizer", "batch_norm")}


def translation_kid(bench: str, method: str, model: tuple[str, tuple[str, ...]]) -> str:
    """KID of the records of the shipped translation model `model` (its weights' name in the
    plugin and the options that tell its runs apart: the benches record other sizes and
    upsamplers too)."""
    from gantool.metadata import read_metadata
    from gantool_translation import shipped

    name, keys = model
    config = json.loads(read_metadata(getattr(shipped, name))["config"])
    where = {key: config[key] for key in keys}
    if where.get("init") is not None:  # a chain's start, as records hold paths
        where["init"] = relative(Path(where["init"]))
    return headline(bench, method, "kid", "", where)


PIX2PIX = ("PIX2PIX_WEIGHTS", ("ngf", "depth", "steps", "upsample"))
CYCLEGAN = ("CYCLEGAN_WEIGHTS", ("ngf", "steps", "upsample", "init"))


def seqgan_method() -> str:
    """How the shipped caption model was trained, beside the continuation it was picked over."""
    if shipped_seqgan() == "seqgan":
        return (f"by maximum likelihood, then SeqGAN's policy gradient (maximum likelihood "
                f"continued instead: BLEU-4 {headline('seqgan-coco', 'mle', 'bleu4', '')})")
    return (f"by maximum likelihood alone: SeqGAN's adversarial continuation of the same "
            f"pretraining scored lower (BLEU-4 {headline('seqgan-coco', 'seqgan', 'bleu4', '')}"
            ", less varied captions)")


def headline(bench: str, method: str, metric: str, unit: str, where: dict | None = None) -> str:
    mine, _ = latest_row(results.load(bench), method, where)
    return figure(mine, metric, unit) if mine else "not measured yet"


DEMOS = (
    Demo("superres", "Super-resolution x4 (SRResNet)", "photo.png", (),
         superres_panels,
         lambda: "Left: the input's centre enlarged by bicubic interpolation; right: the model's "
                 "4x output (`photo_x4.png`). Trained on 80 scene photographs on a CPU; "
                 "PSNR-Y on the 68 BSD68 photographs "
                 f"{headline('superres', 'srresnet (PSNR model)', 'psnr', ' dB')} against "
                 f"bicubic's {headline('superres', 'bicubic', 'psnr', ' dB')}."),
    Demo("segan", "Brain-tumour segmentation on FLAIR MRI", "segan_flair.png", (),
         segan_panels,
         lambda: "The slice, the model's mask over it (`segan_flair_overlay.png`, with "
                 "`segan_flair_mask.png`), and the radiologist's mask. Trained "
                 f"{shipped_segan()[1]}, on the LGG FLAIR slices of {segan_patients()} "
                 "patients; per-patient Dice on held-out patients "
                 f"{headline('segan-lgg', shipped_segan()[0], 'dice', '')}. A research model, "
                 "not for clinical use."),
    Demo("pix2pix", "Facade label map -> photo (pix2pix)", "facade_labels.png", (),
         pix2pix_panels,
         lambda: "The label map, the model's photo (`facade_labels_pix2pix_BtoA.png`) and the true "
                 "photo. Trained on the 400 CMP facades training pairs; KID x1000 on the 106 "
                 "test pairs "
                 f"{translation_kid('translation-facades', 'pix2pix-l1+cgan', PIX2PIX)}."),
    Demo("cyclegan", "Facade label map -> photo, learned without pairs (CycleGAN)",
         "facade_labels.png", (), cyclegan_panels,
         lambda: "The label map, the model's photo (`facade_labels_cyclegan_AtoB.png`) and the "
                 "true photo. Trained on label maps of 200 CMP facades scenes and photos of 200 "
                 "others, never a pair; KID x1000 on the 106 test pairs "
                 f"{translation_kid('cyclegan-facades', 'cyclegan', CYCLEGAN)} (pix2pix, with "
                 f"pairs: {translation_kid('translation-facades', 'pix2pix-l1+cgan', PIX2PIX)})."),
    Demo("ssl-gan", "Digit recognition from 100 labels (K+1 GAN)", "digit.png", ("--json",),
         None,
         lambda: "Trained on MNIST with 100 labels and the other 59,900 digits unlabelled; "
                 "MNIST test error "
                 f"{headline('semisup-mnist', 'ssl-gan', 'error', ' %')}."),
    Demo("dann", "Digits on photo textures, adapted without labels (DANN)",
         "mnist-m", ("--json",), None,
         lambda: "The first eight MNIST-M test images (never trained on; the true digit ends "
                 "each name). Trained on labelled MNIST and unlabelled MNIST-M; MNIST-M test "
                 "accuracy of the runs of its recipe and budget "
                 f"{headline('dann-mnist', 'dann', 'target', ' %', shipped_dann())}."),
    Demo("vawgan", "A voice converted to another speaker's (VAW-GAN)", "speech_slt.wav",
         ("--target-speaker", "TM1"), vawgan_panels,
         lambda: "Spectrograms (0-8 kHz) of the input, a woman's voice the model never heard, and "
                 "of the output `speech_slt-to-TM1.wav` in the voice of the male VCC2016 speaker "
                 "TM1. Trained without parallel sentences on 30 sentences of each of four "
                 "VCC2016 speakers; MCD between converted and real held-out speech of the target "
                 f"{headline('vawgan-vcc', 'vawgan', 'mcd', ' dB', VAWGAN_DEFAULT_VARIANT)} "
                 "(VAE-only "
                 f"{headline('vawgan-vcc', 'vae', 'mcd', ' dB')}, no conversion "
                 f"{headline('vawgan-vcc', 'none', 'mcd', ' dB')}).",
         listen="speech_slt-to-TM1.wav"),
    Demo("seqgan", "Image captions from nothing (SeqGAN's generator)", None, ("--num", "5"),
         None, lambda: "Five captions sampled from the shipped model. Trained on the 10,000 "
                       "training captions of the COCO text-GAN benchmark "
                       f"{seqgan_method()}; BLEU-4 against the 10,000 test captions "
                       f"{headline('seqgan-coco', shipped_seqgan(), 'bleu4', '')} "
                       f"(the training captions themselves: "
                       f"{headline('seqgan-coco', 'real-text', 'bleu4', '')})."),
)


def block(demo: Demo) -> list[str]:
    """Run one demo in a scratch folder and describe it."""
    with tempfile.TemporaryDirectory() as scratch:
        clone = Path(scratch)
        source = None
        if demo.sample is not None:
            source = clone / SAMPLES.relative_to(ROOT) / demo.sample
            source.parent.mkdir(parents=True)
            if (SAMPLES / demo.sample).is_dir():
                shutil.copytree(SAMPLES / demo.sample, source)
            else:
                shutil.copyfile(SAMPLES / demo.sample, source)
        printed = _gantool(demo.name, source, demo.arguments, clone)
        given = ["--input", shown(SAMPLES / demo.sample)] if demo.sample else []
        command = " ".join(["uv run gantool run", demo.name, *given, *demo.arguments])
        lines = [f"**{demo.title}**", "", "```bash", command, "```", ""]
        if demo.picture is None:
            lines += ["```", printed.strip(), "```", ""]
        else:
            panels = demo.picture(source, source.parent)
            width = sum(p.width for p in panels) + 8 * (len(panels) - 1)
            sheet = Image.new("RGB", (width, max(p.height for p in panels)), "white")
            left = 0
            for panel in panels:
                sheet.paste(panel, (left, 0))
                left += panel.width + 8
            PICTURES.mkdir(parents=True, exist_ok=True)
            sheet.save(PICTURES / f"{demo.name}.png", optimize=True)
            lines += [f"![{demo.title}]({shown(PICTURES / f'{demo.name}.png')})", ""]
        if demo.listen is not None:
            shutil.copyfile(source.parent / demo.listen, PICTURES / demo.listen)
            lines += [f"Listen: [the input]({shown(SAMPLES / demo.sample)}), "
                      f"[the output]({shown(PICTURES / demo.listen)}).", ""]
    return lines + [demo.about(), ""]


def ships(task: str) -> bool:
    """Whether the task's shipped weights are in the working tree (a task that picks its
    weights by the options ships them)."""
    from gantool.imports import import_object
    from gantool.plugins import get_plugins

    spec = get_plugins().tasks.get(task)
    shipped = import_object(spec.shipped) if spec.shipped else None
    return callable(shipped) or (isinstance(shipped, Path) and shipped.is_file())


def main() -> None:
    lines = []
    for demo in DEMOS:
        if ships(demo.name) and (demo.sample is None or (SAMPLES / demo.sample).exists()):
            lines += block(demo)
    unshipped = [demo.title for demo in DEMOS if not ships(demo.name)]
    if unshipped:
        lines.append(f"Not shown, no model shipped yet: {', '.join(unshipped)}.")
    write_section("demos", "\n".join(lines), (README,))


if __name__ == "__main__":
    main()
