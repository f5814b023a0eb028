"""Tiny images and options for the translation tests (a uniquely named module, since every
plugin's test folder has its own conftest); the images are the smoke runs' own."""

from gantool_translation.smoke import save, scene

__all__ = ["TINY_PAIRED", "TINY_UNPAIRED", "save", "scene"]

TINY_PAIRED = ["--steps", "2", "--batch-size", "2", "--image-size", "16", "--depth", "3",
               "--ngf", "4", "--ndf", "4", "--quiet", "--device", "cpu"]
TINY_UNPAIRED = ["--steps", "2", "--batch-size", "2", "--image-size", "16", "--blocks", "1",
                 "--ngf", "4", "--ndf", "4", "--pool-size", "3", "--quiet", "--device", "cpu"]

