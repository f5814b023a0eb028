"""One run's TensorBoard event files: scalars, the trainer's sample PNGs and the config.

Imported only when a run starts with the switch on: `torch.utils.tensorboard` loads torch and
tensorboard, far too slow for the entry-point module that every command imports.
"""

from __future__ import annotations

import atexit
import json
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from torch.utils.tensorboard import SummaryWriter


def _step_of(png: Path) -> int:
    """The step of a trainer snapshot, `samples/step-00000040.png`."""
    return int(png.stem.removeprefix("step-"))


class Board:
    """Writes one run's events into `folder` and adds each PNG the trainer writes into
    `samples` as an image at its step.

    A run resumed from its checkpoint of step S hides what an earlier process logged after S
    (TensorBoard's `purge_step`; `log.jsonl` is truncated alike), and a fresh run all of it.
    PNGs already there were logged by that process, or are a killed run's and are logged when
    this run writes them again.
    """

    def __init__(self, folder: Path, samples: Path, step: int, config: dict[str, Any]) -> None:
        self.samples = samples
        self.writer = SummaryWriter(str(folder), purge_step=step + 1 if step else 0)
        self.logged = {png.name: png.stat().st_mtime_ns for png in self._pngs()}
        text = json.dumps(config, indent=2)
        self.writer.add_text("config", "\n".join("    " + line for line in text.splitlines()),
                             step)  # indented: a Markdown code block
        atexit.register(self.close)  # a run that ends by an error keeps what it logged

    def _pngs(self) -> list[Path]:
        return sorted(self.samples.glob("step-*.png"))

    def scalars(self, values: dict[str, float], step: int) -> None:
        for name, value in values.items():
            self.writer.add_scalar(name, value, step)

    def new_samples(self) -> None:
        for png in self._pngs():
            mtime = png.stat().st_mtime_ns
            if self.logged.get(png.name) != mtime:
                self.logged[png.name] = mtime
                with Image.open(png) as image:
                    pixels = np.asarray(image.convert("RGB"))
                self.writer.add_image("samples", pixels, _step_of(png), dataformats="HWC")

    def flush(self) -> None:
        self.writer.flush()

    def close(self) -> None:
        self.writer.close()
