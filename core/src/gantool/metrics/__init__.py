"""Evaluation metrics: distribution distances in a named feature space, and paired image scores.

Distribution metrics (FID, KID, MMD, 1-NN) take N x D feature matrices, so any
`FeatureExtractor` can supply them; report them with the extractor's name
(`distribution_metrics` does). Image metrics compare paired images in [0, 1].
"""

from gantool.metrics.distribution import (
    distribution_metrics,
    fid,
    inception_score,
    kid,
    mmd,
    one_nn_accuracy,
)
from gantool.metrics.features import (
    FeatureExtractor,
    InceptionFeatures,
    extract_features,
    find_inception_weights,
)
from gantool.metrics.image import (
    CHECKERBOARD_MIN_SIDE,
    checkerboard_db,
    lab_histogram_intersection,
    psnr,
    rgb_to_y,
    ssim,
)

__all__ = [
    "FeatureExtractor", "InceptionFeatures", "extract_features", "find_inception_weights",
    "fid", "kid", "mmd", "one_nn_accuracy", "inception_score", "distribution_metrics",
    "psnr", "ssim", "rgb_to_y", "lab_histogram_intersection", "checkerboard_db",
    "CHECKERBOARD_MIN_SIDE",
]
