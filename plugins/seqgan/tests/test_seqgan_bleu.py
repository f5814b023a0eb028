"""BLEU and self-BLEU against counts worked out by hand."""

import math
from collections import Counter

import pytest

from gantool_seqgan.bleu import bleu, closest_length, ngrams, self_bleu


def test_clipped_precisions_give_bleu_1_and_2():
    # unigrams: 'the' x2, 'cat' x2, each clipped to 1 by the reference -> 2/4
    # bigrams: 'the cat' x2 (clipped to 1), 'cat the' x1 (absent) -> 1/3; 4 > 3 tokens: no BP
    b1, b2 = bleu([["the", "cat", "the", "cat"]], [["the", "cat", "sat"]], max_n=2)
    assert b1 == pytest.approx(0.5)
    assert b2 == pytest.approx(math.sqrt(0.5 / 3))


def test_clipping_uses_the_largest_count_in_any_one_reference():
    refs = [["a", "a", "b"], ["a", "c", "c"]]
    # 'a' x3 clipped to 2 (first reference), 'c' x1 -> 3/4; length 4 vs closest 3 -> no BP
    assert bleu([["a", "a", "a", "c"]], refs, max_n=1)[0] == pytest.approx(0.75)


def test_brevity_penalty_uses_the_closest_reference_length():
    refs = [["a", "b", "c", "d"], ["a", "b", "c", "d", "e", "f", "g", "h"]]
    (b1,) = bleu([["a", "b"]], refs, max_n=1)
    assert b1 == pytest.approx(math.exp(1 - 4 / 2))
    assert closest_length(Counter([3, 5]), 4) == 3  # a tie goes to the shorter length


def test_no_matching_ngram_gives_zero_for_that_order_and_above():
    assert bleu([["x", "y", "z"]], [["x", "q", "r"]], max_n=3) == [
        pytest.approx(1 / 3), 0.0, 0.0]


def test_identical_hypothesis_and_reference_score_one():
    sentence = "in the beginning god created the heaven".split()
    assert bleu([sentence], [sentence]) == pytest.approx([1.0] * 4)


def test_self_bleu_is_one_for_copies_and_leaves_each_sample_out():
    same = [["a", "b", "c"]] * 3
    assert self_bleu(same, max_n=3) == pytest.approx([1.0] * 3)
    # Each sample is scored only against the other: 'a b' vs 'c d' share nothing.
    assert self_bleu([["a", "b"], ["c", "d"]], max_n=1) == [0.0]
    # 'a a' vs 'a b': one clipped 'a' of two -> 1/2; 'a b' vs 'a a': 'a' matches -> 1/2
    assert self_bleu([["a", "a"], ["a", "b"]], max_n=1)[0] == pytest.approx(0.5)


def test_ngrams_counts_overlapping_windows():
    assert ngrams(["a", "a", "a"], 2) == Counter({("a", "a"): 2})
