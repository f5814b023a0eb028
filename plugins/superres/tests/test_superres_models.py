"""Networks, tiling and the degradation."""

import numpy as np
import pytest
import torch
from PIL import Image

from gantool_superres.architecture import Architecture
from gantool_superres.engines import self_ensemble
from gantool_superres.models import BicubicUpsample, Discriminator, SRResNet, deepen
from gantool_superres.resample import downscale
from gantool_superres.tiling import tiles, upscale_array
from gantool_superres.torch_engine import make_forward


def numpy_forward(generator: SRResNet):
    forward = make_forward(generator)
    return lambda x: forward(torch.from_numpy(x)).numpy()


@pytest.mark.parametrize("upsampler", ["progressive", "single"])
@pytest.mark.parametrize("scale", [2, 4])
def test_generator_upscales_and_starts_near_bicubic(scale, upsampler):
    generator = SRResNet(Architecture(scale=scale, blocks=2, channels=8, upsampler=upsampler))
    x = torch.rand(2, 3, 12, 10)
    out = generator(x)
    assert out.shape == (2, 3, 12 * scale, 10 * scale)
    bicubic = torch.nn.functional.interpolate(x, scale_factor=scale, mode="bicubic")
    assert (out - bicubic).abs().mean() < 0.05


@pytest.mark.parametrize("scale", [2, 4, 8])
def test_bicubic_as_a_convolution_is_torchs_bicubic(scale):
    for height, width in [(1, 1), (2, 3), (13, 7)]:  # edges clamp exactly as torch's do
        x = torch.rand(2, 3, height, width)
        expected = torch.nn.functional.interpolate(x, scale_factor=scale, mode="bicubic")
        torch.testing.assert_close(BicubicUpsample(scale)(x), expected, atol=1e-6, rtol=0)


def test_deepened_generator_computes_the_same_function_and_can_learn():
    torch.manual_seed(0)
    generator = SRResNet(Architecture(scale=4, blocks=2, channels=8, upsampler="single")).eval()
    with torch.no_grad():
        generator.tail.weight.mul_(10)
    deeper = deepen(generator, 4).eval()
    x = torch.rand(1, 3, 10, 9)
    assert deeper.arch.blocks == 4 and len(deeper.body) == 5
    assert torch.allclose(deeper(x), generator(x), atol=1e-6)
    deeper(x).square().mean().backward()
    assert deeper.body[3].body[2].weight.grad.abs().sum() > 0  # the new blocks get gradients
    with pytest.raises(ValueError, match="deepen"):
        deepen(generator, 1)


def test_discriminator_accepts_any_patch_size_and_exposes_features():
    critic = Discriminator(channels=4)
    for size in (32, 48):
        logits, taps = critic.forward_features(torch.rand(3, 3, size, size))
        assert logits.shape == (3, 1) and len(taps) == 4


def test_tiles_cover_the_image_exactly_once():
    seen = np.zeros((37, 23), dtype=int)
    for (top, left, bottom, right), (y0, x0, y1, x1) in tiles(37, 23, 8, 3):
        seen[top:bottom, left:right] += 1
        assert y0 <= top and x0 <= left and y1 >= bottom and x1 >= right
    assert (seen == 1).all()


def test_unknown_upsampler_is_refused():
    with pytest.raises(ValueError, match="upsampler"):
        Architecture(upsampler="transposed")


@pytest.mark.parametrize("upsampler", ["progressive", "single"])
def test_tiled_output_matches_whole_image_output(upsampler):
    torch.manual_seed(0)
    generator = SRResNet(Architecture(scale=4, blocks=2, channels=8, upsampler=upsampler)).eval()
    with torch.no_grad():
        generator.tail.weight.mul_(10)
    forward = numpy_forward(generator)
    image = np.random.default_rng(0).random((29, 35, 3), dtype=np.float32)
    whole = upscale_array(forward, image, 4, 0, 0)
    tiled = upscale_array(forward, image, 4, 8, generator.arch.receptive_radius())
    assert np.abs(whole.astype(int) - tiled.astype(int)).max() <= 1


def test_self_ensemble_keeps_an_equivariant_model_and_makes_any_model_equivariant():
    def bicubic(a):
        return torch.nn.functional.interpolate(torch.from_numpy(a), scale_factor=4,
                                               mode="bicubic").numpy()

    x = np.random.default_rng(0).random((1, 3, 9, 7), dtype=np.float32)
    np.testing.assert_allclose(self_ensemble(bicubic)(x), bicubic(x), atol=1e-5)
    torch.manual_seed(0)
    generator = SRResNet(Architecture(scale=4, blocks=2, channels=8, upsampler="single")).eval()
    with torch.no_grad():
        generator.tail.weight.mul_(10)
    ensembled = self_ensemble(numpy_forward(generator))

    def turn(a):
        return np.ascontiguousarray(np.rot90(a, 1, (2, 3))[..., ::-1])

    np.testing.assert_allclose(ensembled(turn(x)), turn(ensembled(x)), atol=1e-5)
    assert np.abs(ensembled(x) - numpy_forward(generator)(x)).max() > 1e-3


def test_downscale_is_pils_antialiased_bicubic_in_8_bits():
    pixels = torch.randint(0, 256, (32, 48, 3), dtype=torch.uint8)
    lr = downscale(pixels.permute(2, 0, 1).float() / 255, 4)
    assert lr.shape == (3, 8, 12)
    levels = lr * 255
    assert torch.equal(levels, levels.round())
    pil = Image.fromarray(pixels.numpy()).resize((12, 8), Image.Resampling.BICUBIC)
    expected = torch.from_numpy(np.array(pil)).permute(2, 0, 1).float()
    assert (levels - expected).abs().max() <= 1  # PIL rounds its fixed-point sums differently
    flat = torch.full((3, 16, 16), 77 / 255)
    assert torch.equal(downscale(flat, 4), torch.full((3, 4, 4), 77 / 255))
