"""`digits-printed`: digits typeset in fonts, digitised the way scikit-learn's digits were.

scikit-learn's digits are handwriting (UCI optdigits): 32x32 binary bitmaps whose 4x4 blocks
were counted into 8x8 images of 0..16. This recipe renders each digit in one of the fonts that
ship with matplotlib, with a random size, slant, stroke width and offset, binarises it at 32x32
and counts the same 4x4 blocks. The pixel pipeline is identical, so what differs from the
handwritten digits is the writing itself: printed glyphs (a serif 1, a closed 4, an open 9)
against people's hands. Used as a labelled source with the handwritten digits as target, it is
a synthetic-to-real shift, as the paper's SYN NUMBERS -> SVHN.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from gantool.errors import GantoolError
from gantool.files import atomic_dir
from gantool_dann.recipes.common import write_info, write_split

FONTS = (
    "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf",
    "DejaVuSans-BoldOblique.ttf", "DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf",
    "DejaVuSansMono-Oblique.ttf", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf",
    "DejaVuSerif-Italic.ttf", "DejaVuSerif-BoldItalic.ttf", "STIXGeneral.ttf",
    "STIXGeneralBol.ttf", "STIXGeneralItalic.ttf", "STIXGeneralBolIta.ttf", "cmr10.ttf",
    "cmss10.ttf", "cmtt10.ttf", "cmb10.ttf", "cmti10.ttf",
)
BITMAP = 32
BLOCK = 4
PER_CLASS = {"train": 130, "test": 50}


def font_files() -> list[Path]:
    """The fonts matplotlib ships (always installed with gantool), so nothing is downloaded."""
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    found = [folder / name for name in FONTS if (folder / name).is_file()]
    if not found:
        raise GantoolError(f"no fonts found in {folder}; reinstall matplotlib")
    return found


def render(digit: int, font: Path, rng: np.random.Generator) -> np.ndarray:
    """A 32x32 binary bitmap of `digit`. Like the handwritten bitmaps, the glyph nearly fills
    the height and is widened (handwriting is rounder than type), centred give or take 2 px."""
    canvas = Image.new("L", (128, 128))
    face = ImageFont.truetype(str(font), 80)
    ImageDraw.Draw(canvas).text((64, 64), str(digit), fill=255, font=face, anchor="mm",
                                stroke_width=int(rng.integers(1, 4)), stroke_fill=255)
    canvas = canvas.rotate(rng.uniform(-12, 12), resample=Image.Resampling.BILINEAR)
    glyph = canvas.crop(canvas.getbbox())
    height = BITMAP * rng.uniform(0.85, 1.0)
    width = min(BITMAP, glyph.width * height / glyph.height * rng.uniform(1.0, 1.6))
    glyph = glyph.resize((max(1, round(width)), max(1, round(height))),
                         Image.Resampling.BILINEAR)
    bitmap = Image.new("L", (BITMAP, BITMAP))
    left = (BITMAP - glyph.width) // 2 + int(rng.integers(-2, 3))
    top = (BITMAP - glyph.height) // 2 + int(rng.integers(-2, 3))
    bitmap.paste(glyph, (left, top))
    return np.asarray(bitmap) >= 128


def digitise(bitmap: np.ndarray) -> np.ndarray:
    """optdigits' reduction: on-pixels counted in 4x4 blocks, scaled to [0, 1]."""
    side = BITMAP // BLOCK
    counts = bitmap.reshape(side, BLOCK, side, BLOCK).sum(axis=(1, 3))
    return counts.astype(np.float32) / (BLOCK * BLOCK)


def build(source: Path | None, out: Path, seed: int) -> Path:
    """out/train/<class>/*.png (130 a class) and out/test/<class>/*.png (50), 8x8 grey."""
    if source is not None:
        raise GantoolError("digits-printed is rendered from bundled fonts; drop --source")
    fonts = font_files()
    rng = np.random.default_rng(seed)
    with atomic_dir(out) as tmp:
        for split, count in PER_CLASS.items():
            labels = np.repeat(np.arange(10), count)
            images = np.stack([digitise(render(d, fonts[rng.integers(len(fonts))], rng))
                               for d in labels])
            write_split(tmp / split, images, labels, [f"{i:04d}" for i in range(len(labels))])
        write_info(tmp, {"recipe": "digits-printed", "fonts": [f.name for f in fonts],
                         "size": [8, 8], "seed": seed, "per_class": PER_CLASS})
    return Path(out)
