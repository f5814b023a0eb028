"""The image pool: filling, the half-and-half swap, determinism and checkpointing."""

import pytest
import torch

from gantool.image_pool import ImagePool


def batch(value: float, n: int = 4) -> torch.Tensor:
    return torch.full((n, 1, 2, 2), value)


def test_images_pass_through_until_the_pool_is_full():
    pool = ImagePool(6, (1, 2, 2))
    out = pool.query(batch(1.0), torch.Generator().manual_seed(0))
    assert torch.equal(out, batch(1.0)) and int(pool.count) == 4
    out = pool.query(batch(2.0), torch.Generator().manual_seed(0))
    assert int(pool.count) == 6 and torch.equal(out[:2], batch(2.0, 2))
    assert (pool.images.flatten(1)[:, 0] == 2).sum() >= 2


def test_a_full_pool_swaps_about_half_of_the_images_for_older_ones():
    pool = ImagePool(50, (1, 2, 2))
    generator = torch.Generator().manual_seed(0)
    pool.query(-torch.ones(50, 1, 2, 2), generator)
    images = torch.arange(1000.0).view(-1, 1, 1, 1).expand(-1, 1, 2, 2)
    out = pool.query(images, generator)
    swapped = (out != images).flatten(1).any(1)
    assert 0.45 < swapped.float().mean().item() < 0.55
    assert (out[swapped].flatten(1)[:, 0] < images[swapped].flatten(1)[:, 0]).all()


def test_equal_seeds_give_equal_outputs_and_a_reloaded_pool_continues_alike():
    first, second = ImagePool(3, (1, 2, 2)), ImagePool(3, (1, 2, 2))
    for step in range(5):
        images = torch.rand(2, 1, 2, 2, generator=torch.Generator().manual_seed(step))
        a = first.query(images, torch.Generator().manual_seed(100 + step))
        b = second.query(images, torch.Generator().manual_seed(100 + step))
        assert torch.equal(a, b)
    restored = ImagePool(3, (1, 2, 2))
    restored.load_state_dict(first.state_dict())
    images = torch.rand(2, 1, 2, 2)
    assert torch.equal(first.query(images, torch.Generator().manual_seed(9)),
                       restored.query(images, torch.Generator().manual_seed(9)))


def test_size_zero_is_the_identity_and_shapes_are_checked():
    images = torch.rand(3, 1, 2, 2, requires_grad=True)
    out = ImagePool(0, (1, 2, 2)).query(images, torch.Generator())
    assert torch.equal(out, images) and not out.requires_grad
    with pytest.raises(ValueError, match="pool holds"):
        ImagePool(2, (3, 2, 2)).query(images, torch.Generator())
