"""A few-second run on a tiny lesion phantom drawn on the fly: the suite's fake-GPU test and
the GPU smoke script train from it, so nothing is downloaded or read from a shared folder."""

from __future__ import annotations

from pathlib import Path

from gantool_segan.recipes.phantom import build


def smoke(folder: Path) -> dict[str, object]:
    """Eight 64x64 binary phantom scans, a 3-level segmentor and a narrow critic."""
    data = build(folder / "phantom", 0, two_class=False, train=8, test=2)
    return {"images": str(data / "train" / "images"), "masks": str(data / "train" / "masks"),
            "steps": 4, "batch_size": 4, "base": 4, "depth": 3, "critic_base": 4}
