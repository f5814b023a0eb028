"""A small speaker classifier trained on real speech: the check that converted speech sounds
like its target speaker, independent of the conversion model."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


class SpeakerClassifier:
    """An MLP over single mel-cepstral frames (c1..c_order); an utterance gets the speaker with
    the highest mean frame log-probability, and its mean hidden activation is its embedding
    (what cosine similarity to a speaker's centroid compares)."""

    def __init__(self, frames: np.ndarray, labels: np.ndarray, speakers: int, *, steps: int,
                 seed: int, batch: int = 256) -> None:
        generator = torch.Generator().manual_seed(seed)
        torch.manual_seed(seed)
        x = torch.from_numpy(frames).float()
        self.mean, self.std = x.mean(0), x.std(0) + 1e-6
        x = (x - self.mean) / self.std
        y = torch.from_numpy(labels).long()
        self.hidden = nn.Sequential(nn.Linear(x.shape[1], 64), nn.ReLU())
        self.net = nn.Sequential(self.hidden, nn.Linear(64, speakers))
        optimizer = torch.optim.Adam(self.net.parameters(), lr=1e-3)
        for _ in range(steps):
            index = torch.randint(len(x), (batch,), generator=generator)
            loss = F.cross_entropy(self.net(x[index]), y[index])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        self.net.eval()

    def _normalised(self, frames: np.ndarray) -> torch.Tensor:
        return (torch.from_numpy(frames).float() - self.mean) / self.std

    @torch.no_grad()
    def _log_probs(self, frames: np.ndarray) -> torch.Tensor:
        return self.net(self._normalised(frames)).log_softmax(1)

    @torch.no_grad()
    def embedding(self, frames: np.ndarray) -> np.ndarray:
        """The utterance's mean hidden activation."""
        return self.hidden(self._normalised(frames)).mean(0).numpy()

    def predict(self, frames: np.ndarray) -> int:
        return int(self._log_probs(frames).mean(0).argmax())

    def frame_probability(self, frames: np.ndarray, speaker: int) -> float:
        """The mean over frames of P(speaker | frame): a graded score where the utterance's
        label saturates (single frames are ambiguous even in real speech, so real speech sets
        the ceiling)."""
        return float(self._log_probs(frames)[:, speaker].exp().mean())
