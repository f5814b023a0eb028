"""Feature extractors: the embedding every distribution metric is computed in.

FID, KID and 1-NN numbers are only comparable under the same extractor, so each extractor
carries a `name` that results are reported with.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

import torch
import torch.nn.functional as F
from torch import Tensor

from gantool.errors import GantoolError


class FeatureExtractor(Protocol):
    """Maps N images (float in [0, 1], NCHW) to an N x D feature matrix."""

    name: str

    def __call__(self, images: Tensor) -> Tensor: ...


def extract_features(
    extractor: FeatureExtractor,
    images: Tensor | Iterable[Tensor | tuple[Tensor, ...] | list[Tensor]],
    batch_size: int = 64,
) -> Tensor:
    """Features of a tensor of images or of an iterable of batches, on the CPU.

    Batches bound memory; an iterable may yield `(images, labels, ...)` tuples, as a data
    loader does, and only the images are used.
    """
    batches = images.split(batch_size) if isinstance(images, Tensor) else (
        chunk
        for batch in images
        for chunk in (batch[0] if isinstance(batch, tuple | list) else batch).split(batch_size)
    )
    features = []
    with torch.no_grad():
        for batch in batches:
            out = extractor(batch)
            if out.dim() != 2 or out.shape[0] != batch.shape[0]:
                raise ValueError(
                    f"extractor {extractor.name!r} returned shape {tuple(out.shape)} for "
                    f"{batch.shape[0]} images; it must return an N x D matrix"
                )
            features.append(out.detach().float().cpu())
    if not features:
        raise ValueError("no images to extract features from")
    return torch.cat(features)


INCEPTION_FILE_GLOB = "inception_v3_google-*.pth"


def find_inception_weights(weights: str | Path | None = None) -> Path:
    """The Inception-v3 state-dict file to use: `weights`, else one in torch hub's cache.

    Never downloads: evaluation must run offline and reproducibly.
    """
    if weights is not None:
        path = Path(weights).expanduser()
        if not path.is_file():
            raise GantoolError(f"Inception-v3 weights file {path} not found; check the path")
        return path
    checkpoints = Path(torch.hub.get_dir()) / "checkpoints"
    found = sorted(checkpoints.glob(INCEPTION_FILE_GLOB))
    if not found:
        raise GantoolError(
            f"no Inception-v3 weights: none given and no {INCEPTION_FILE_GLOB} in {checkpoints}. "
            "Pass a weights path (torchvision's inception_v3_google-0cc3c7bd.pth, copied from "
            "a machine with internet) or evaluate with another feature extractor"
        )
    return found[0]


class InceptionFeatures:
    """2048-D pool features of torchvision's ImageNet Inception-v3.

    These weights differ from the TensorFlow graph behind published FIDs, so numbers are
    comparable only with others computed by this extractor (hence its `name`).
    """

    name = "inception-v3-torchvision"

    def __init__(self, weights: str | Path | None = None, device: str | torch.device = "cpu"):
        path = find_inception_weights(weights)
        from torchvision.models import inception_v3  # slow to import: only when used

        model = inception_v3(weights=None, aux_logits=True, init_weights=False)
        try:
            model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
        except (RuntimeError, OSError, ValueError) as exc:
            raise GantoolError(f"{path} is not an Inception-v3 state dict: {exc}") from None
        self.classifier = model.fc
        model.fc = torch.nn.Identity()  # the forward pass now ends at the pooled features
        self.device = torch.device(device)
        self.model = model.eval().requires_grad_(False).to(self.device)
        self.classifier.requires_grad_(False).to(self.device)

    def _prepare(self, images: Tensor) -> Tensor:
        """[0, 1] images of any size, grey or RGB -> the 299 x 299 [-1, 1] RGB it was trained on."""
        x = images.to(self.device, torch.float32)
        if x.shape[1] == 1:
            x = x.expand(-1, 3, -1, -1)
        x = F.interpolate(x, size=(299, 299), mode="bilinear", align_corners=False, antialias=True)
        return x * 2.0 - 1.0

    def __call__(self, images: Tensor) -> Tensor:
        with torch.no_grad():
            return self.model(self._prepare(images))

    def probabilities(self, images: Tensor) -> Tensor:
        """ImageNet class probabilities, the input of `inception_score`."""
        with torch.no_grad():
            return self.classifier(self(images)).softmax(dim=1)
