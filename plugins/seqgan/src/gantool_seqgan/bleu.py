"""Corpus BLEU (Papineni et al. 2002) against a reference set, and self-BLEU (Zhu et al. 2018).

Every reference sentence is a reference of every hypothesis, as in the SeqGAN paper's text
experiments: an n-gram's count is clipped by its largest count in any one reference, and the
brevity penalty uses, for each hypothesis, the closest reference length. Self-BLEU scores each
sample against all the other samples: high self-BLEU means little diversity.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence

Gram = tuple[str, ...]


def ngrams(tokens: Sequence[str], n: int) -> Counter[Gram]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def closest_length(lengths: Counter[int], length: int) -> int:
    """The reference length nearest to `length` (the shorter one on a tie)."""
    return min((n for n, count in lengths.items() if count > 0),
               key=lambda n: (abs(n - length), n))


def _score(matches: list[int], totals: list[int], hyp_len: int, ref_len: int) -> list[float]:
    """BLEU-1..BLEU-N from the summed clipped and total n-gram counts."""
    if hyp_len == 0:
        return [0.0] * len(matches)
    penalty = 1.0 if hyp_len > ref_len else math.exp(1.0 - ref_len / hyp_len)
    scores, log_sum = [], 0.0
    for n, (match, total) in enumerate(zip(matches, totals, strict=True), start=1):
        if match == 0 or total == 0:
            scores += [0.0] * (len(matches) - n + 1)
            break
        log_sum += math.log(match / total)
        scores.append(penalty * math.exp(log_sum / n))
    return scores


def _corpus(hypotheses: Sequence[Sequence[str]], max_n: int,
            clip: Callable[[int, int, Gram], int],
            reference_length: Callable[[int, int], int]) -> list[float]:
    matches, totals = [0] * max_n, [0] * max_n
    hyp_len = ref_len = 0
    for i, hypothesis in enumerate(hypotheses):
        for n in range(1, max_n + 1):
            counts = ngrams(hypothesis, n)
            totals[n - 1] += sum(counts.values())
            matches[n - 1] += sum(min(c, clip(i, n, g)) for g, c in counts.items())
        hyp_len += len(hypothesis)
        ref_len += reference_length(i, len(hypothesis))
    return _score(matches, totals, hyp_len, ref_len)


def _reference_tables(references: Sequence[Sequence[str]], max_n: int
                      ) -> tuple[list[dict[Gram, int]], Counter[int]]:
    """Each n-gram's largest count in any one reference, and the references' lengths."""
    if not references:
        raise ValueError("BLEU needs at least one reference")
    best: list[dict[Gram, int]] = [{} for _ in range(max_n)]
    for reference in references:
        for n in range(1, max_n + 1):
            table = best[n - 1]
            for gram, count in ngrams(reference, n).items():
                if count > table.get(gram, 0):
                    table[gram] = count
    return best, Counter(len(r) for r in references)


def bleu(hypotheses: Sequence[Sequence[str]], references: Sequence[Sequence[str]],
         max_n: int = 4) -> list[float]:
    """[BLEU-1, ..., BLEU-max_n] of the hypotheses against the whole reference set."""
    best, lengths = _reference_tables(references, max_n)
    return _corpus(hypotheses, max_n, lambda _i, n, g: best[n - 1].get(g, 0),
                   lambda _i, length: closest_length(lengths, length))


def sentence_bleu_mean(hypotheses: Sequence[Sequence[str]],
                       references: Sequence[Sequence[str]], max_n: int = 5,
                       epsilon: float = 0.1) -> list[float]:
    """[BLEU-1, ..., BLEU-max_n], each the mean over the hypotheses of one hypothesis's BLEU
    against every reference (cumulative, uniform weights), an n-gram order without a match
    counted as `epsilon` matches (nltk's smoothing method 1): how Texygen, and the text-GAN
    papers that use it, report BLEU on COCO captions."""
    best, lengths = _reference_tables(references, max_n)
    sums = [0.0] * max_n
    for hypothesis in hypotheses:
        length = len(hypothesis)
        reference = closest_length(lengths, length)
        brevity = 1.0 if length > reference else (math.exp(1 - reference / length)
                                                   if length else 0.0)
        logs = []
        for n in range(1, max_n + 1):
            counts = ngrams(hypothesis, n)
            matched = sum(min(c, best[n - 1].get(g, 0)) for g, c in counts.items())
            if n == 1 and matched == 0:
                break  # nltk scores a hypothesis with no matching word 0 at every order
            logs.append(math.log((matched or epsilon) / max(1, sum(counts.values()))))
            sums[n - 1] += brevity * math.exp(sum(logs) / n)
    return [total / len(hypotheses) for total in sums]


def self_bleu(samples: Sequence[Sequence[str]], max_n: int = 4) -> list[float]:
    """[self-BLEU-1, ..., self-BLEU-max_n]: each sample against all the others.

    For each n-gram the two largest counts (and who holds the largest) are kept, so leaving a
    sample out costs nothing and the whole set is scored in linear time.
    """
    if len(samples) < 2:
        raise ValueError("self-BLEU needs at least two samples")
    top: list[dict[Gram, tuple[int, int, int]]] = [{} for _ in range(max_n)]
    for i, sample in enumerate(samples):
        for n in range(1, max_n + 1):
            table = top[n - 1]
            for gram, count in ngrams(sample, n).items():
                first, owner, second = table.get(gram, (0, -1, 0))
                if count > first:
                    table[gram] = (count, i, first)
                elif count > second:
                    table[gram] = (first, owner, count)

    def clip(i: int, n: int, gram: Gram) -> int:
        first, owner, second = top[n - 1][gram]
        return second if owner == i else first

    lengths = Counter(len(s) for s in samples)

    def reference_length(i: int, length: int) -> int:
        lengths[length] -= 1
        try:
            return closest_length(lengths, length)
        finally:
            lengths[length] += 1

    return _corpus(samples, max_n, clip, reference_length)
