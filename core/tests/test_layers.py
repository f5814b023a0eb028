"""Shapes and defining properties of the reusable GAN layers, on small inputs."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from gantool.layers import (
    GaussianNoise,
    MinibatchDiscrimination,
    PatchDiscriminator,
    ResidualBlock,
    ResnetGenerator,
    SelfAttention,
    UNetGenerator,
    patch_receptive_field,
    upsampling,
)
from tensor_asserts import assert_close


@pytest.fixture(autouse=True)
def seed() -> None:
    torch.manual_seed(0)


def test_minibatch_discrimination_appends_out_features():
    layer = MinibatchDiscrimination(10, 4, kernel_dims=3)
    x = torch.randn(5, 10)
    y = layer(x)
    assert y.shape == (5, 14)
    assert torch.equal(y[:, :10], x)


def test_minibatch_discrimination_formula():
    layer = MinibatchDiscrimination(3, 2, kernel_dims=2)
    x = torch.randn(4, 3)
    m = (x @ layer.T).view(4, 2, 2)
    expected = torch.stack([
        torch.stack([sum(torch.exp(-(m[i, b] - m[j, b]).abs().sum()) for j in range(4) if j != i)
                     for b in range(2)])
        for i in range(4)
    ])
    assert_close(layer(x)[:, 3:], expected)


def test_minibatch_discrimination_sees_a_collapsed_batch():
    layer = MinibatchDiscrimination(6, 3, kernel_dims=4)
    collapsed = torch.randn(1, 6).expand(5, 6)
    assert_close(layer(collapsed)[:, 6:], torch.full((5, 3), 4.0))  # N - 1
    varied = layer(torch.randn(5, 6))[:, 6:]
    assert (varied < 4.0).all() and (varied > 0).all()
    assert torch.equal(layer(torch.randn(1, 6))[:, 6:], torch.zeros(1, 3))


def test_self_attention_is_identity_at_init():
    layer = SelfAttention(16)
    x = torch.randn(2, 16, 5, 3)
    assert torch.equal(layer(x), x)
    assert layer.gamma.item() == 0.0


def test_self_attention_formula_once_gamma_is_learned():
    layer = SelfAttention(8)
    with torch.no_grad():
        layer.gamma.fill_(0.7)
    x = torch.randn(2, 8, 3, 4)
    q = layer.query(x).flatten(2)  # (N, C', HW)
    k = layer.key(x).flatten(2)
    v = layer.value(x).flatten(2)  # (N, C, HW)
    attention = torch.softmax(torch.einsum("nci,ncj->nij", q, k), dim=-1)
    out = torch.einsum("ncj,nij->nci", v, attention).view_as(x)
    y = layer(x)
    assert_close(y, x + 0.7 * out)
    # Non-local: a change at one position moves the output at every other position.
    x2 = x.clone()
    x2[:, :, 0, 0] += 1
    assert ((layer(x2) - y)[:, :, 1:, 1:].abs() > 0).any(dim=1).all()


def test_gaussian_noise_only_in_training():
    layer = GaussianNoise(0.5)
    x = torch.zeros(100_000)
    assert layer(x).std().item() == pytest.approx(0.5, rel=0.02)
    layer.eval()
    assert torch.equal(layer(x), x)
    with pytest.raises(ValueError):
        GaussianNoise(-1.0)


def test_patch_receptive_field_formula():
    assert [patch_receptive_field(n) for n in (1, 2, 3, 4, 5)] == [16, 34, 70, 142, 286]
    with pytest.raises(ValueError):
        patch_receptive_field(0)


def test_patch_discriminator_output_shape():
    for norm in ("batch", "instance", "none"):
        critic = PatchDiscriminator(6, base=4, norm=norm)
        assert critic(torch.randn(2, 6, 64, 48)).shape == (2, 1, 6, 4)
    with pytest.raises(ValueError, match="norm"):
        PatchDiscriminator(3, norm="group")


@pytest.mark.parametrize(("n_layers", "size"), [(1, 64), (2, 96), (3, 256)])
def test_patch_discriminator_receptive_field(n_layers, size):
    critic = PatchDiscriminator(3, base=4, n_layers=n_layers, norm="none")
    x = torch.randn(1, 3, size, size, requires_grad=True)
    out = critic(x)
    if size == 256:
        assert out.shape == (1, 1, 30, 30)  # pix2pix's 30x30 patches on 256x256
    h, w = out.shape[-2] // 2, out.shape[-1] // 2
    (grad,) = torch.autograd.grad(out[0, 0, h, w], x)
    support = grad[0].abs().sum(0) > 0
    rows = support.any(1).nonzero().squeeze(1)
    cols = support.any(0).nonzero().squeeze(1)
    side = patch_receptive_field(n_layers)
    assert critic.receptive_field == side
    assert 0 < rows[0] and rows[-1] < size - 1  # the patch lies inside the image
    assert rows[-1] - rows[0] + 1 == side and cols[-1] - cols[0] + 1 == side
    assert support.sum() == side * side


def test_unet_generator_shape_range_and_multiple():
    gen = UNetGenerator(3, 2, base=4, depth=4)
    assert UNetGenerator.size_multiple(4) == 16 and UNetGenerator.size_multiple(8) == 256
    y = gen(torch.randn(2, 3, 32, 48) * 100)
    assert y.shape == (2, 2, 32, 48)
    assert y.abs().max() <= 1 and y.abs().max() > 0.99  # tanh, saturated by the large input
    with pytest.raises(ValueError, match="divisible by 16"):
        gen(torch.randn(1, 3, 24, 32))


def test_unet_generator_depth_one_and_instance_norm():
    assert UNetGenerator(1, 1, base=4, depth=1)(torch.randn(1, 1, 6, 4)).shape == (1, 1, 6, 4)
    gen = UNetGenerator(1, 3, base=4, depth=3, norm="instance")
    assert gen(torch.randn(1, 1, 16, 16)).shape == (1, 3, 16, 16)


def test_unet_dropout_is_its_noise():
    gen = UNetGenerator(3, 3, base=4, depth=5)
    assert sum(isinstance(m, nn.Dropout) for m in gen.modules()) == 3  # innermost 3 decoders
    assert not any(isinstance(m, nn.Dropout) for m in UNetGenerator(3, 3, 4, 5, False).modules())
    x = torch.randn(2, 3, 32, 32)
    assert not torch.equal(gen(x), gen(x))
    gen.eval()
    assert torch.equal(gen(x), gen(x))


def test_unet_skip_connections_bypass_the_bottleneck():
    gen = UNetGenerator(1, 1, base=4, depth=3, dropout=False).eval()
    with torch.no_grad():
        for p in gen.down[-1].parameters():
            p.zero_()  # the bottleneck now carries nothing about the input
    x = torch.randn(1, 1, 16, 16, requires_grad=True)
    (grad,) = torch.autograd.grad(gen(x)[0, 0, 5, 5], x)
    assert grad[0, 0, 4:8, 4:8].abs().sum() > 0  # yet the output still sees it, through skips


def test_resnet_generator_shape_range_and_multiple():
    gen = ResnetGenerator(3, 1, base=4, n_blocks=2)
    assert ResnetGenerator.size_multiple(2) == 4
    y = gen(torch.randn(2, 3, 20, 28) * 100)
    assert y.shape == (2, 1, 20, 28)
    assert y.abs().max() <= 1
    assert any(isinstance(m, nn.ReflectionPad2d) for m in gen.modules())
    with pytest.raises(ValueError, match="divisible by 4"):
        gen(torch.randn(1, 3, 18, 20))
    gen = ResnetGenerator(2, 2, base=4, n_blocks=1, n_down=3, norm="batch")
    assert gen(torch.randn(2, 2, 16, 24)).shape == (2, 2, 16, 24)


def test_residual_block_adds_to_its_input():
    block = ResidualBlock(4)
    x = torch.randn(2, 4, 6, 6)
    assert block(x).shape == x.shape and not torch.equal(block(x), x)
    with torch.no_grad():
        block.block[-2].weight.zero_()  # the residual branch's last conv: F(x) = 0
    assert_close(block(x), x)


def test_resize_upsampling_paints_no_checkerboard():
    """On a flat input a stride-2 transposed convolution repeats its kernel's overlap pattern
    every 2 pixels (Odena et al. 2016); nearest resize then a convolution stays flat."""
    flat = torch.ones(1, 4, 8, 8)
    with torch.no_grad():
        transposed = upsampling("transpose", 4, 1, bias=False)(flat)[0, 0, 2:-2, 2:-2]
        resized = upsampling("resize", 4, 1, bias=False)(flat)[0, 0, 2:-2, 2:-2]
    assert transposed.shape == resized.shape == (12, 12)
    assert transposed.std() > 1e-3
    assert torch.equal(transposed[:-2, :-2], transposed[2:, 2:])  # period 2: the checkerboard
    assert resized.std() < 1e-6


@pytest.mark.parametrize("upsample", ["transpose", "resize"])
def test_generators_upsample_either_way_to_the_input_size(upsample):
    assert UNetGenerator(3, 2, base=4, depth=3, upsample=upsample)(
        torch.randn(1, 3, 16, 24)).shape == (1, 2, 16, 24)
    assert ResnetGenerator(3, 1, base=4, n_blocks=1, upsample=upsample)(
        torch.randn(1, 3, 12, 20)).shape == (1, 1, 12, 20)
