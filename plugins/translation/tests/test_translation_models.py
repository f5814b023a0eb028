"""The Lab colouriser keeps the grey input as lightness; `auto` picks it for grey -> colour.
The networks builders are what `gantool.models.load_model` rebuilds the shipped models with."""

import json

import pytest
import torch
from kornia.color import rgb_to_lab
from torch import nn

from gantool.config import build
from gantool.errors import GantoolError
from gantool.models import load_model
from gantool_translation.config import Pix2PixConfig
from gantool_translation.models import LabColouriser, pix2pix_generator, pix2pix_networks
from gantool_translation.translators import CYCLEGAN_WEIGHTS, PIX2PIX_WEIGHTS


class ConstantChroma(nn.Module):
    def __init__(self, value: float) -> None:
        super().__init__()
        self.value = value

    def forward(self, x):
        return torch.full((len(x), 2, *x.shape[-2:]), self.value)


def grey_batch() -> torch.Tensor:
    return torch.linspace(-0.8, 0.8, 2 * 16 * 16).view(2, 1, 16, 16)


def test_zero_chroma_gives_back_the_grey_input():
    grey = grey_batch()
    out = LabColouriser(ConstantChroma(0.0))(grey)
    assert out.shape == (2, 3, 16, 16)
    assert torch.allclose(out, grey.expand(-1, 3, -1, -1), atol=2e-3)


def test_chroma_changes_colour_but_not_lightness():
    grey = grey_batch()
    out = LabColouriser(ConstantChroma(0.1))(grey)
    assert (out[:, 0] - out[:, 2]).abs().mean() > 0.05
    lightness = rgb_to_lab((out + 1) / 2)[:, 0]
    expected = rgb_to_lab(((grey + 1) / 2).expand(-1, 3, -1, -1))[:, 0]
    assert torch.allclose(lightness, expected, atol=0.5)


@pytest.mark.parametrize(("space", "c_in", "c_out", "lab"),
                         [("auto", 1, 3, True), ("auto", 3, 3, False), ("auto", 1, 1, False),
                          ("rgb", 1, 3, False), ("lab", 1, 3, True)])
def test_colour_space_choice(space, c_in, c_out, lab, tmp_path):
    config = build(Pix2PixConfig, {"data": tmp_path, "colour_space": space, "depth": 2,
                                   "ngf": 4})
    generator = pix2pix_generator(config, c_in, c_out)
    assert isinstance(generator, LabColouriser) == lab
    assert generator(torch.zeros(1, c_in, 8, 8)).shape == (1, c_out, 8, 8)


def test_lab_refuses_anything_but_grey_to_colour(tmp_path):
    config = build(Pix2PixConfig, {"data": tmp_path, "colour_space": "lab"})
    with pytest.raises(GantoolError, match="needs grey input and colour output"):
        pix2pix_generator(config, 3, 3)


def test_a_model_exported_before_colour_space_is_rebuilt_as_rgb(tmp_path):
    config = build(Pix2PixConfig, {"data": tmp_path, "depth": 2, "ngf": 4})
    channels = {"channels_in": "1", "channels_out": "3"}
    old = pix2pix_networks(config, {**channels, "config": json.dumps({"depth": 2})})
    assert not isinstance(old["G"], LabColouriser)
    assert isinstance(pix2pix_networks(config, channels)["G"], LabColouriser)


@pytest.mark.parametrize(("path", "task", "names"), [(PIX2PIX_WEIGHTS, "pix2pix", {"G"}),
                                                     (CYCLEGAN_WEIGHTS, "cyclegan",
                                                      {"G_AB", "G_BA"})])
def test_shipped_weights_load_through_the_core(path, task, names):
    """Files from before the "networks" metadata load every network they hold, frozen."""
    model = load_model(path, task)
    assert set(model.networks) == names
    assert not any(p.requires_grad for net in model.networks.values() for p in net.parameters())
    assert not any(net.training for net in model.networks.values())
