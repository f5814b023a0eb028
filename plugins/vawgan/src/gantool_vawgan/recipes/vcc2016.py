"""`vcc2016`: a voice-conversion corpus released as a training folder and an evaluation folder
(as the Voice Conversion Challenge 2016 is: `vcc2016-train/<speaker>/*.wav` and
`vcc2016-eval/<speaker>/*.wav`, the same file name the same sentence for every speaker), merged
into the layout training and evaluation read: `<out>/<speaker>/<sentence>.wav` and
`<out>/split.json` naming the evaluation sentences, which training skips. The files are copied
unchanged; nothing is downloaded.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from gantool.errors import GantoolError
from gantool.files import atomic_dir
from gantool_vawgan.corpus import SPLIT_FILE, speaker_files


def build(sources: tuple[Path, Path], out: Path, seed: int) -> Path:
    """Copy both folders' WAV files into one corpus; the evaluation sentences are held out
    (`seed` is unused: the release fixes the split)."""
    train, evaluation = (speaker_files(Path(source)) for source in sources)
    if set(train) != set(evaluation):
        raise GantoolError(f"the training folder has speakers {', '.join(sorted(train))} and the "
                           f"evaluation folder {', '.join(sorted(evaluation))}; give folders "
                           "of the same speakers")
    held_out = sorted({path.stem for paths in evaluation.values() for path in paths})
    both = sorted({path.stem for paths in train.values() for path in paths} & set(held_out))
    if both:
        raise GantoolError(f"sentence {both[0]} is in both folders; the evaluation sentences "
                           "must be ones training never hears")
    with atomic_dir(Path(out)) as tmp:
        for speaker in train:
            (tmp / speaker).mkdir()
            for path in [*train[speaker], *evaluation[speaker]]:
                shutil.copyfile(path, tmp / speaker / path.name)
        (tmp / SPLIT_FILE).write_text(json.dumps({"held_out": held_out}, indent=2) + "\n")
    return Path(out)
