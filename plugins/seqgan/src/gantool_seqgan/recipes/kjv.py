"""The King James Bible as a text corpus, from Debian's `bible-kjv` package (offline).

The 1611 translation is in the public domain (see /usr/share/doc/bible-kjv-text/copyright).
The `bible` program of the package prints every verse; the recipe keeps the verse text (no
book, chapter or verse numbers), one verse a line, and sends a seeded 10% of the verses to the
reference split that BLEU is measured against.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from pathlib import Path

from gantool.errors import GantoolError

VERSE = re.compile(r"^\s+\d+ (\S.*)$")
EVERYTHING = "Ge1:1-Re22:21"
REFERENCE_FRACTION = 0.1


def verses(datafile_dir: Path | None = None) -> list[str]:
    """Every verse of the KJV, in order, as printed by `bible`."""
    program = shutil.which("bible")
    if program is None:
        raise GantoolError("the `bible` program is missing; install the public-domain text with "
                           "`apt-get install bible-kjv`")
    command = [program, "-l0", *(["-p", str(datafile_dir)] if datafile_dir else []),
               EVERYTHING]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    found = [m.group(1).strip() for line in result.stdout.splitlines()
             if (m := VERSE.match(line))]
    if result.returncode != 0 or not found:
        raise GantoolError(f"`bible` printed no verses ({result.stderr.strip() or 'no output'});"
                           " reinstall bible-kjv-text or pass --source with its data folder")
    return found


def build(source: Path | None, out: Path, seed: int) -> Path:
    """out/train/kjv.txt and out/reference/kjv.txt (one verse a line) and split.json."""
    lines = verses(source)
    order = list(range(len(lines)))
    random.Random(seed).shuffle(order)
    reference = set(order[: round(REFERENCE_FRACTION * len(lines))])
    out = Path(out)
    splits = (("train", lambda i: i not in reference), ("reference", reference.__contains__))
    for split, keep in splits:
        (out / split).mkdir(parents=True, exist_ok=True)
        text = "".join(line + "\n" for i, line in enumerate(lines) if keep(i))
        (out / split / "kjv.txt").write_text(text, encoding="utf-8")
    (out / "split.json").write_text(json.dumps({
        "source": "Debian bible-kjv-text (King James Version, public domain)",
        "seed": seed, "verses": len(lines), "reference": len(reference),
        "train": len(lines) - len(reference)}, indent=2))
    return out
