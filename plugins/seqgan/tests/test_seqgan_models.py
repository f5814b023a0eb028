"""The networks, the oracle, the rollouts, the rewards and the tokenizer."""

import math

import torch

from gantool_seqgan.models import Discriminator, Generator, draw
from gantool_seqgan.oracle import build_oracle, nll_oracle, oracle_data
from gantool_seqgan.training import follow, rewards
from gantool_seqgan.vocab import UNK, Vocabulary, tokenize


def test_generator_nll_is_log_vocab_when_it_predicts_uniformly():
    generator = Generator(7, 4, 4)
    torch.nn.init.zeros_(generator.out.weight)
    torch.nn.init.zeros_(generator.out.bias)
    tokens = torch.randint(7, (3, 5))
    assert abs(generator.nll(tokens).item() - math.log(7)) < 1e-6


def test_sample_keeps_the_prefix_and_the_length():
    generator = Generator(11, 4, 4)
    prefix = torch.tensor([3, 1, 4])
    samples = generator.sample(6, 9, prefix=prefix, generator=torch.Generator().manual_seed(0))
    assert samples.shape == (6, 9)
    assert (samples[:, :3] == prefix).all() and samples.max() < 11


def test_draw_follows_the_distribution_and_low_temperature_picks_the_mode():
    logits = torch.tensor([[0.0, 1.0, 2.0]]).expand(20000, 3)
    drawn = draw(logits, 1.0, torch.Generator().manual_seed(0)).flatten()
    counts = torch.bincount(drawn, minlength=3)
    assert torch.allclose(counts / 20000, logits[0].softmax(0), atol=0.02)
    assert (draw(logits, 1e-3, None) == 2).all()


def test_rollouts_keep_each_prefix_and_complete_the_rest():
    generator = Generator(13, 4, 4)
    tokens = torch.randint(13, (2, 6))
    completed = generator.rollout(tokens, 3, torch.Generator().manual_seed(1))
    assert completed.shape == (5, 3, 2, 6)
    for given in range(1, 6):
        assert (completed[given - 1, :, :, :given] == tokens[:, :given]).all()
    # Different rollouts of the shortest prefix differ somewhere.
    assert not (completed[0, 0] == completed[0, 1]).all()


def test_rewards_are_probabilities_and_the_last_one_scores_the_sample():
    generator, critic = Generator(9, 4, 4), Discriminator(9, 8, (2, 3), 4).train()
    samples = torch.randint(9, (4, 5))
    reward = rewards(generator, critic, samples, 2, torch.Generator().manual_seed(0))
    assert reward.shape == (4, 5) and ((reward > 0) & (reward < 1)).all()
    assert torch.allclose(reward[:, -1], torch.sigmoid(critic.eval()(samples)))
    assert critic.training is False  # restored to the mode it had (eval after the line above)


def test_discriminator_takes_a_filter_count_per_width_or_one_for_all():
    paper = Discriminator(9, 8, (1, 2, 20), filters=(100, 200, 160))
    assert [conv.out_channels for conv in paper.convs] == [100, 200, 160]
    assert paper.highway.gate.in_features == 460 and paper(torch.randint(9, (3, 20))).shape == (3,)
    assert [conv.out_channels for conv in Discriminator(9, 8, (2, 3), 4).convs] == [4, 4]


def line_generator(end: int | None = 0) -> Generator:
    """A generator that draws the end token about one time in three."""
    torch.manual_seed(0)
    generator = Generator(6, 4, 4, end=end)
    torch.nn.init.zeros_(generator.out.weight)
    with torch.no_grad():
        generator.out.bias.copy_(torch.tensor([math.log(2.5), 0, 0, 0, 0, 0]))
    return generator


def padded_after_the_end(samples: torch.Tensor, end: int) -> bool:
    return all(row[row.index(end):] == [end] * (len(row) - row.index(end))
               for row in samples.tolist() if end in row)


def test_a_line_generator_pads_after_the_end_as_the_data_does():
    rng = torch.Generator().manual_seed(0)
    samples = line_generator().sample(200, 12, generator=rng)
    assert (samples == 0).any(1).float().mean() > 0.9
    assert padded_after_the_end(samples, 0)
    free = line_generator(end=None).sample(200, 12, generator=torch.Generator().manual_seed(0))
    assert not padded_after_the_end(free, 0)  # without an end, tokens follow it


def test_a_rollout_of_an_ended_prefix_is_the_sample_and_its_reward_is_the_final_one():
    generator = line_generator()
    critic = Discriminator(6, 8, (2, 3), 4)
    samples = torch.tensor([[1, 0, 0, 0, 0], [2, 3, 4, 0, 0], [1, 2, 3, 4, 5]])
    completed = generator.rollout(samples, 3, torch.Generator().manual_seed(1))
    assert (completed[1:, :, 0] == samples[0]).all()  # prefixes of 2+ tokens hold its end
    assert (completed[3:, :, 1] == samples[1]).all()
    assert padded_after_the_end(completed.flatten(0, 2), 0)
    reward = rewards(generator, critic, samples, 3, torch.Generator().manual_seed(1))
    final = torch.sigmoid(critic.eval()(samples))
    assert torch.allclose(reward[0, 1:], final[0].expand(4))
    assert torch.allclose(reward[1, 3:], final[1].expand(2))
    assert not torch.allclose(reward[2, :-1], final[2].expand(4))  # open prefixes roll out


def test_live_positions_end_at_the_first_end_token():
    samples = torch.tensor([[1, 0, 0], [2, 3, 4], [0, 0, 0]])
    live = line_generator().live(samples)
    assert live.tolist() == [[True, True, False], [True, True, True], [True, False, False]]
    assert line_generator(end=None).live(samples).all()


def test_rollout_policy_copies_then_lags_behind_the_generator():
    generator, rollout = Generator(5, 3, 3), Generator(5, 3, 3)
    follow(rollout, generator, 0.8, restart=True)
    pairs = zip(rollout.parameters(), generator.parameters(), strict=True)
    assert all(torch.equal(a, b) for a, b in pairs)
    before = [p.clone() for p in rollout.parameters()]
    with torch.no_grad():
        for p in generator.parameters():
            p.add_(1.0)
    follow(rollout, generator, 0.8, restart=False)
    pairs = zip(rollout.parameters(), before, strict=True)
    assert all(torch.allclose(r, b + 0.2) for r, b in pairs)


def test_oracle_is_the_same_for_the_same_seed_and_scores_its_own_data_best():
    oracle = build_oracle(30, seed=5)
    again = build_oracle(30, seed=5)
    assert all(torch.equal(a, b)
               for a, b in zip(oracle.parameters(), again.parameters(), strict=True))
    data = oracle_data(oracle, 300, 10, seed=5)
    assert data.shape == (300, 10)
    uniform = torch.randint(30, (300, 10))
    assert nll_oracle(oracle, data) < nll_oracle(oracle, uniform)


def test_vocabulary_keeps_frequent_tokens_and_round_trips_through_json():
    tokens = tokenize("the cat, the dog.\nthe end", "word")
    assert tokens == ["the", "cat", ",", "the", "dog", ".", "\n", "the", "end"]
    vocab = Vocabulary.build(tokens, "word", False, max_size=4)
    assert vocab.tokens[0] == "the" and vocab.tokens[-1] == UNK and len(vocab) == 4
    assert Vocabulary.from_json(vocab.to_json()) == vocab
    assert vocab.decode(vocab.encode(["the", "cat", ","])) == "the cat,"
    chars = Vocabulary.build(tokenize("ab\nb", "char"), "char", False, 10)
    assert chars.decode(chars.encode(list("ab\nb"))) == "ab¶b"
