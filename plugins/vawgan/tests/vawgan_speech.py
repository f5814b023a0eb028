"""The tiny synthetic speech corpus of the smoke run (so tests need neither espeak-ng nor data)
and the options of a tiny training run."""

from gantool_vawgan.smoke import RATE, SMALL, SPEAKERS, utterance, write_corpus

__all__ = ["RATE", "SPEAKERS", "TINY", "TINY_OPTIONS", "utterance", "write_corpus"]

TINY_OPTIONS = {**SMALL, "device": "cpu"}
TINY = [*(item for key, value in TINY_OPTIONS.items()
          for item in (f"--{key.replace('_', '-')}", str(value))), "--quiet"]
