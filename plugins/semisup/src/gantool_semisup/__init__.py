"""Semi-supervised classification with GANs: the classifier, not the generator, is the product.

Two tasks: `ssl-gan` (a K+1-class discriminator, Salimans et al. 2016) and `triple-gan`
(generator, classifier and pair discriminator, Li et al. 2017).
"""
