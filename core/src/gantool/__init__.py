"""gantool: GAN applications on one shared adversarial-training core.

The package root stays import-light (no torch) so the CLI starts fast; import the
pieces you need from their modules (`gantool.trainer`, `gantool.losses`, ...).
"""

__version__ = "0.1.0"
