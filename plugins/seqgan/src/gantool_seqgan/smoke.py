"""A few-second run on a tiny synthetic corpus: the suite's fake-GPU test and the GPU smoke
script train from it, so nothing is downloaded or read from a shared folder."""

from __future__ import annotations

import random
from pathlib import Path

SUBJECTS = ["the king", "a man", "the people", "his son", "the lord"]
VERBS = ["went", "said", "came", "spake", "gave"]
OBJECTS = ["unto the city", "to the house", "in the land", "of the sea", "by the river"]


def write_text(path: Path, lines: int = 60, seed: int = 0) -> Path:
    """Short sentences from a small grammar, one a line (every fifth becomes the reference)."""
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(f"And {rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}.\n"
                   for _ in range(lines))
    path.write_text(text, encoding="utf-8")
    return path


def smoke(folder: Path) -> dict[str, object]:
    """Every stage (MLE, D pretraining, adversarial with rollouts) for a step or two, with
    8-unit networks on 8-word sequences."""
    return {"data": str(write_text(folder / "text.txt")), "pretrain_steps": 2,
            "d_pretrain_steps": 1, "adversarial_steps": 1, "d_steps": 2, "rollouts": 2,
            "g_batch": 4, "batch_size": 8, "seq_len": 8, "embedding": 8, "hidden": 8,
            "d_embedding": 8, "d_channels": 4, "eval_samples": 20}
