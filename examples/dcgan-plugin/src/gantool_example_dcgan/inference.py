"""`gantool run example-dcgan`: a grid of samples from a trained generator.

The declaration is all the plugin writes: the core plans and checks the output (never the
weights, never an existing file without --overwrite), loads the model with `load_model` and
writes the PNG atomically.
"""

from __future__ import annotations

import numpy as np

from gantool.models import LoadedModel
from gantool.run import Output, Run
from gantool_example_dcgan.config import ExampleRun
from gantool_example_dcgan.plugin import TASK
from gantool_example_dcgan.training import sample


def grid(model: LoadedModel, _: None, options: ExampleRun) -> np.ndarray:
    """`--num` samples drawn with `--seed`, 8 to a row, as a uint8 grey image."""
    from torchvision.utils import make_grid

    images = sample(model["G"], options.num, model.config.z_dim, options.seed)
    pixels = make_grid(images, nrow=8, normalize=True, value_range=(-1, 1))[0]
    return pixels.mul(255).round().byte().numpy()


run = Run(TASK, grid, inputs=None, outputs=(Output("samples", "samples.png"),))
