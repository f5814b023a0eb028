"""The losses against their textbook forms, and the networks' contracts."""

import torch
import torch.nn.functional as F

from gantool_semisup.kplus1 import unsupervised_loss
from gantool_semisup.labels import balanced_subset
from gantool_semisup.models import Classifier, Generator, PairDiscriminator, one_hot
from gantool_semisup.triple import every_class_logits


def test_unsupervised_loss_is_the_k_plus_1_softmax_with_a_zero_fake_logit():
    torch.manual_seed(0)
    real, fake = torch.randn(5, 4), torch.randn(6, 4)

    def p_fake(logits):
        return F.softmax(torch.cat([logits, torch.zeros(len(logits), 1)], 1), 1)[:, -1]

    expected = 0.5 * (-torch.log(1 - p_fake(real)).mean() - torch.log(p_fake(fake)).mean())
    assert torch.allclose(unsupervised_loss(real, fake), expected, atol=1e-6)


def test_every_class_logits_scores_each_image_with_each_class():
    torch.manual_seed(0)
    D = PairDiscriminator(16, 3, (8,), 0.0, 0.0).eval()
    images = torch.rand(4, 1, 4, 4)
    logits = every_class_logits(D, images, 3)
    for c in range(3):
        labels = one_hot(torch.full((4,), c), 3)
        assert torch.allclose(logits[:, c], D(images, labels), atol=1e-6)


def test_classifier_noise_only_in_training_and_features_feed_the_head():
    torch.manual_seed(0)
    C = Classifier(16, 3, (8, 8), 0.3, 0.5, weight_norm=True)
    x = torch.rand(5, 1, 4, 4)
    assert not torch.equal(C(x), C(x))
    C.eval()
    assert torch.equal(C(x), C(x)) and C.features(x).shape == (5, 8)
    assert torch.allclose(C.head(C.features(x)), C(x))


def test_generators_make_images_in_the_unit_range():
    z = torch.randn(6, 4)
    plain = Generator(4, (1, 8, 8), 16)
    assert plain(z).shape == (6, 1, 8, 8)
    conditional = Generator(4, (3, 4, 4), 16, classes=5)
    images = conditional(z, one_hot(torch.arange(6) % 5, 5))
    assert images.shape == (6, 3, 4, 4) and 0 <= images.min() and images.max() <= 1


def test_subset_without_a_remainder_takes_the_same_share_of_every_class():
    labels = torch.arange(4).repeat(5)
    subset = balanced_subset(labels, ("a", "b", "c", "d"), 8, seed=0)
    assert torch.bincount(labels[subset]).tolist() == [2, 2, 2, 2]
