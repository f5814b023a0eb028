"""Stage-2 content losses: VGG19 features when the weights exist locally, else the critic's.

VGG19 (torchvision) is the perceptual loss of SRGAN; it is never downloaded here. Without it the
fallback compares the discriminator's intermediate activations of the output and the ground
truth pixel-for-pixel (a paired form of feature matching), which the trainer reports.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from gantool.checkpoint import read_state_dict
from gantool.errors import GantoolError

ContentLoss = Callable[[Tensor, Tensor, list[Tensor], list[Tensor]], Tensor]
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


def vgg_weights_path(given: Path | None) -> Path | None:
    """The given file, or torchvision's cached VGG19 download if it is present."""
    if given is not None:
        if not given.is_file():
            raise GantoolError(f"--vgg-weights {given} not found")
        return given
    from torchvision.models import VGG19_Weights

    cached = Path(torch.hub.get_dir()) / "checkpoints" / Path(VGG19_Weights.IMAGENET1K_V1.url).name
    return cached if cached.is_file() else None


class VGGFeatures(nn.Module):
    """VGG19 up to conv5_4 before its activation (SRGAN's VGG5,4), frozen."""

    def __init__(self, weights: Path) -> None:
        super().__init__()
        from torchvision.models import vgg19

        vgg = vgg19()
        try:
            vgg.load_state_dict(read_state_dict(weights, "--vgg-weights"))
        except RuntimeError:
            raise GantoolError(f"--vgg-weights {weights} is not torchvision's VGG19 (its "
                               "tensors do not match vgg19()); pass the IMAGENET1K_V1 "
                               "state dict") from None
        self.layers = vgg.features[:35].eval().requires_grad_(False)
        self.register_buffer("mean", torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(IMAGENET_STD).view(1, 3, 1, 1))

    def forward(self, x: Tensor) -> Tensor:
        return self.layers((x - self.mean) / self.std)


def content_loss(kind: str, vgg_weights: Path | None) -> tuple[ContentLoss, str]:
    """The loss `(sr, hr, sr_taps, hr_taps) -> scalar` and a line describing the choice."""
    path = vgg_weights_path(vgg_weights) if kind in ("auto", "vgg") else None
    if kind == "vgg" and path is None:
        raise GantoolError("--content vgg needs VGG19 weights: pass --vgg-weights FILE.pth")
    if path is not None:
        vgg = VGGFeatures(path)

        def perceptual(sr: Tensor, hr: Tensor, _s: list[Tensor], _h: list[Tensor]) -> Tensor:
            vgg.to(sr.device)
            return F.mse_loss(vgg(sr), vgg(hr).detach())

        return perceptual, f"content loss: VGG19 features ({path})"

    def features(sr: Tensor, hr: Tensor, sr_taps: list[Tensor], hr_taps: list[Tensor]) -> Tensor:
        return sum(F.l1_loss(s, h.detach()) for s, h in zip(sr_taps, hr_taps, strict=True))

    reason = "" if kind == "features" else " (no VGG19 weights found locally; pass --vgg-weights)"
    return features, "content loss: discriminator feature matching" + reason
