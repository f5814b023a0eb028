"""`parallel-speech`: a folder of speakers who read the same sentences (`DIR/<speaker>/*.wav`,
the same file name the same sentence, as CMU ARCTIC is), copied into the layout training and
evaluation read, with a sixth of the sentences every speaker read held out (drawn from the seed)
in `<out>/split.json`. The files are copied unchanged; nothing is downloaded.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np

from gantool.errors import GantoolError
from gantool.files import atomic_dir
from gantool_vawgan.corpus import SPLIT_FILE, speaker_files

HELD_OUT_SHARE = 6
"""One sentence in this many is held out (5 of ARCTIC's first 30, as VCC2016 holds out 5)."""


def build(source: Path, out: Path, seed: int) -> Path:
    """Copy every speaker's WAV files; hold out sentences all speakers read, by `seed`."""
    speakers = speaker_files(Path(source))
    shared = sorted(set.intersection(*({p.stem for p in paths} for paths in speakers.values())))
    if len(shared) < 2:
        raise GantoolError(f"the speakers of {source} share {len(shared)} sentence(s) (the same "
                           "file name in every speaker folder); a parallel corpus needs at least "
                           "two, one to train on and one to evaluate")
    count = max(1, len(shared) // HELD_OUT_SHARE)
    picked = np.random.default_rng(seed).choice(len(shared), size=count, replace=False)
    held_out = sorted(shared[i] for i in picked)
    with atomic_dir(Path(out)) as tmp:
        for speaker, paths in speakers.items():
            (tmp / speaker).mkdir()
            for path in paths:
                shutil.copyfile(path, tmp / speaker / path.name)
        (tmp / SPLIT_FILE).write_text(json.dumps({"held_out": held_out}, indent=2) + "\n")
    return Path(out)
