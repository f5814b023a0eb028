"""Where the shipped weights are: a light module (no torch), so option classes can read a
shipped model's header when they resolve their defaults."""

from __future__ import annotations

from pathlib import Path

WEIGHTS_DIR = Path(__file__).parent / "weights"
PIX2PIX_WEIGHTS = WEIGHTS_DIR / "pix2pix_facades.safetensors"
CYCLEGAN_WEIGHTS = WEIGHTS_DIR / "cyclegan_facades.safetensors"
