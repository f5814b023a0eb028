"""The SeqGAN networks: an LSTM policy over tokens and a CNN that scores whole sequences.

The generator is a language model: at each position it gives a distribution over the next token,
so it can be trained by maximum likelihood, sampled, scored (log-probabilities for the oracle
metric and for REINFORCE) and continued from any prefix (Monte-Carlo rollouts).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from gantool_seqgan.config import SeqganConfig
from gantool_seqgan.vocab import NEWLINE, Vocabulary

State = tuple[Tensor, Tensor]


def draw(logits: Tensor, temperature: float, generator: torch.Generator | None) -> Tensor:
    """One token per row from softmax(logits / temperature), shape (B, 1).

    Inverse-CDF sampling needs one uniform number per row, where `torch.multinomial` draws one
    per vocabulary entry: over ten times faster on a 5,000-token vocabulary on a CPU.
    """
    scaled = logits.float() / temperature
    cdf = (scaled - scaled.amax(-1, keepdim=True)).exp().cumsum(-1)
    u = torch.rand(len(cdf), 1, generator=generator, device=cdf.device) * cdf[:, -1:]
    return torch.searchsorted(cdf, u).clamp_(max=logits.shape[-1] - 1)


class Generator(nn.Module):
    """Embedding -> one-layer LSTM -> logits over the vocabulary (Yu et al. 2017, sec. 4).

    Index `vocab_size` of the embedding is a start token fed before the first position, so the
    first token has a learned distribution too. A generator of lines has an `end` token: once a
    sequence has drawn it, the rest is `end` as in the training data (line_sequences pads with
    it), so sampling stops stepping that sequence, a rollout of an ended prefix is the sequence
    itself, and D never sees tokens drawn after the end.
    """

    def __init__(self, vocab_size: int, embedding: int = 32, hidden: int = 32,
                 end: int | None = None) -> None:
        super().__init__()
        self.vocab_size = vocab_size
        self.end = end
        self.embed = nn.Embedding(vocab_size + 1, embedding)
        self.lstm = nn.LSTM(embedding, hidden, batch_first=True)
        self.out = nn.Linear(hidden, vocab_size)

    def _inputs(self, tokens: Tensor) -> Tensor:
        start = torch.full_like(tokens[:, :1], self.vocab_size)
        return torch.cat([start, tokens[:, :-1]], dim=1)

    def forward(self, tokens: Tensor) -> Tensor:
        """Logits (B, T, V) of each token given the ones before it (teacher forcing)."""
        hidden, _ = self.lstm(self.embed(self._inputs(tokens)))
        return self.out(hidden)

    def log_probs(self, tokens: Tensor) -> Tensor:
        """log p(token_t | tokens_<t), shape (B, T)."""
        logits = self.forward(tokens)
        return logits.log_softmax(-1).gather(-1, tokens.unsqueeze(-1)).squeeze(-1)

    def nll(self, tokens: Tensor) -> Tensor:
        """Mean negative log-likelihood per token: the MLE loss and the NLL-oracle metric."""
        logits = self.forward(tokens)
        return F.cross_entropy(logits.flatten(0, 1), tokens.flatten())

    def _step(self, token: Tensor, state: State | None) -> tuple[Tensor, State]:
        output, state = self.lstm(self.embed(token).unsqueeze(1), state)
        return self.out(output.squeeze(1)), state

    def _prefix_states(self, tokens: Tensor) -> list[State]:
        """The LSTM state after the start token and after each given token."""
        state: State | None = None
        token = torch.full_like(tokens[:, 0], self.vocab_size)
        states = []
        for t in range(tokens.shape[1]):
            _, state = self._step(token, state)
            states.append(state)
            token = tokens[:, t]
        return states

    def ended(self, tokens: Tensor) -> Tensor:
        """Whether each row has drawn `end` (B,); never for a generator without one."""
        if self.end is None:
            return torch.zeros(len(tokens), dtype=torch.bool, device=tokens.device)
        return (tokens == self.end).any(1)

    def live(self, tokens: Tensor) -> Tensor:
        """(B, T) True up to and including each row's first `end`: the positions the policy
        chose (the rest were forced), all of them for a generator without an end."""
        if self.end is None:
            return torch.ones_like(tokens, dtype=torch.bool)
        before = (tokens == self.end).long().cumsum(1) - (tokens == self.end).long()
        return before == 0

    def _continue(self, prefix: Tensor, state: State, logits: Tensor, length: int,
                  temperature: float, generator: torch.Generator | None) -> Tensor:
        """Sample positions len(prefix)..length-1, given the LSTM state and next-token logits
        after the prefix; only rows that have not ended are stepped."""
        out = prefix.new_full((len(prefix), length), self.end if self.end is not None else 0)
        out[:, : prefix.shape[1]] = prefix
        rows = torch.arange(len(prefix), device=prefix.device)
        if self.end is not None:
            rows = rows[~self.ended(prefix)]
            logits, state = logits[rows], (state[0][:, rows], state[1][:, rows])
        for position in range(prefix.shape[1], length):
            if position > prefix.shape[1]:
                logits, state = self._step(out[rows, position - 1], state)
            token = draw(logits, temperature, generator).squeeze(1)
            out[rows, position] = token
            if self.end is not None:
                going = token != self.end
                rows, state = rows[going], (state[0][:, going], state[1][:, going])
                if not len(rows):
                    break
        return out

    @torch.no_grad()
    def sample(self, n: int, length: int, *, temperature: float = 1.0,
               prefix: Tensor | None = None, generator: torch.Generator | None = None) -> Tensor:
        """`n` sequences of `length` tokens, each starting with `prefix` (1-D) when given."""
        device = self.out.weight.device
        start = torch.full((n,), self.vocab_size, dtype=torch.long, device=device)
        logits, state = self._step(start, None)
        given = torch.empty(n, 0, dtype=torch.long, device=device)
        if prefix is not None and len(prefix):
            given = prefix.to(device).expand(n, -1)
            for t in range(given.shape[1]):
                logits, state = self._step(given[:, t], state)
        return self._continue(given, state, logits, length, temperature, generator)

    @torch.no_grad()
    def rollout(self, tokens: Tensor, rollouts: int,
                generator: torch.Generator | None = None) -> Tensor:
        """Monte-Carlo completions of every proper prefix: (T - 1, rollouts, B, T).

        Entry [t - 1, m] keeps the first t tokens of `tokens` and samples the rest, as the
        rollout policy G_beta of the paper's eq. (4).
        """
        batch, length = tokens.shape
        states = self._prefix_states(tokens)
        out = []
        for given in range(1, length):  # an ended prefix comes back as the sequence itself
            h, c = states[given]
            state = (h.repeat(1, rollouts, 1), c.repeat(1, rollouts, 1))
            prefix = tokens[:, :given].repeat(rollouts, 1)
            logits = self.out(state[0][-1])
            full = self._continue(prefix, state, logits, length, 1.0, generator)
            out.append(full.view(rollouts, batch, length))
        return torch.stack(out)


class Highway(nn.Module):
    """y = t * relu(W x) + (1 - t) * x with a learned gate t (Srivastava et al. 2015)."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.transform = nn.Linear(size, size)
        self.gate = nn.Linear(size, size)

    def forward(self, x: Tensor) -> Tensor:
        gate = torch.sigmoid(self.gate(x))
        return gate * F.relu(self.transform(x)) + (1 - gate) * x


class Discriminator(nn.Module):
    """CNN text classifier (Kim 2014) as in SeqGAN: convolutions of several widths, max over
    time, a highway layer and dropout, then one logit (real vs generated). `filters` gives each
    width its own count, as the paper's D does (100 to 200 per width); else `channels` each."""

    def __init__(self, vocab_size: int, embedding: int = 64, widths: Sequence[int] = (2, 3, 4, 5),
                 channels: int = 32, dropout: float = 0.25,
                 filters: Sequence[int] | None = None) -> None:
        super().__init__()
        counts = list(filters) if filters else [channels] * len(widths)
        self.embed = nn.Embedding(vocab_size, embedding)
        self.convs = nn.ModuleList(nn.Conv1d(embedding, n, w)
                                   for w, n in zip(widths, counts, strict=True))
        features = sum(counts)
        self.highway = Highway(features)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(features, 1)

    def forward(self, tokens: Tensor) -> Tensor:
        x = self.embed(tokens).transpose(1, 2)
        pooled = torch.cat([F.relu(conv(x)).amax(-1) for conv in self.convs], dim=1)
        return self.head(self.dropout(self.highway(pooled))).squeeze(-1)


def build_networks(config: SeqganConfig, metadata: dict[str, str]) -> dict[str, nn.Module]:
    """G, D and the rollout policy for the vocabulary in `metadata` (training builds it from
    the data, `load_model` from the exported weights, so both get the same shapes)."""
    vocab = Vocabulary.from_json(metadata["vocab"])
    end = vocab.index[NEWLINE] if config.unit == "line" and not config.oracle else None
    generator = Generator(len(vocab), config.embedding, config.hidden, end)
    rollout = copy.deepcopy(generator).requires_grad_(False)
    critic = Discriminator(len(vocab), config.d_embedding, config.d_widths, config.d_channels,
                           config.d_dropout, config.d_filters)
    return {"G": generator, "D": critic, "rollout": rollout}
