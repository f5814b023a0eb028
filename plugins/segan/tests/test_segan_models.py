from pathlib import Path

import torch
from torch import nn

from gantool_segan.config import SeganConfig
from gantool_segan.models import (
    Critic,
    Segmentor,
    build_networks,
    foreground,
    masked,
    multiscale_l1,
    one_hot_foreground,
    predict_labels,
)
from gantool_segan.training import critic_distance, soft_dice_loss


def test_segmentor_takes_any_size_and_gives_logits():
    binary, three = Segmentor(1, 2, base=4, depth=3), Segmentor(3, 3, base=4, depth=3)
    assert binary(torch.rand(2, 1, 20, 13)).shape == (2, 1, 20, 13)
    logits = three(torch.rand(2, 3, 16, 16))
    assert logits.shape == (2, 3, 16, 16)
    assert foreground(logits, 3).shape == (2, 2, 16, 16)
    assert predict_labels(logits, 3).max() <= 2


def test_critic_features_are_hierarchical():
    features = Critic(2, base=4, depth=3)(torch.rand(2, 2, 32, 32))
    assert [tuple(f.shape[-2:]) for f in features] == [(32, 32), (16, 16), (8, 8), (4, 4)]


def test_distance_is_zero_for_the_true_mask_and_positive_otherwise():
    torch.manual_seed(0)
    critic = Critic(1, base=4, depth=2)
    images = torch.rand(4, 1, 16, 16)
    labels = (torch.rand(4, 16, 16) > 0.7).long()
    truth = one_hot_foreground(labels, 2)
    assert critic_distance(critic, images, truth, truth).abs().max() < 1e-6
    assert (critic_distance(critic, images, 1 - truth, truth) > 0).all()


def test_masked_input_stacks_one_product_per_class():
    images = torch.rand(2, 3, 8, 8)
    maps = torch.rand(2, 2, 8, 8)
    out = masked(images, maps)
    assert out.shape == (2, 6, 8, 8)
    assert torch.allclose(out[:, 3:], images * maps[:, 1:2])


def test_multiscale_l1_averages_levels():
    a = [torch.zeros(2, 1, 4, 4), torch.zeros(2, 3, 2, 2)]
    b = [torch.ones(2, 1, 4, 4), torch.full((2, 3, 2, 2), 3.0)]
    assert torch.allclose(multiscale_l1(a, b), torch.tensor([2.0, 2.0]))


def test_soft_dice_loss_is_zero_for_a_perfect_prediction():
    truth = torch.zeros(2, 1, 8, 8)
    truth[:, :, 2:5, 2:5] = 1
    assert soft_dice_loss(truth, truth) < 1e-6
    assert soft_dice_loss(1 - truth, truth) > 0.9


def test_networks_follow_the_metadata_and_the_stabiliser():
    config = SeganConfig(images=Path("i"), masks=Path("m"), stabiliser="gp", base=4, depth=3,
                         critic_base=4)
    nets = build_networks(config, {"classes": "3", "channels": "1"})
    assert nets["S"](torch.rand(1, 1, 16, 16)).shape == (1, 3, 16, 16)
    assert nets["C"].layers[0][0].in_channels == 2  # image x each foreground class
    assert not any(isinstance(m, nn.BatchNorm2d) for m in nets["C"].modules())
