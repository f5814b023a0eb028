"""SeqGAN as a gantool game (Yu et al. 2017, algorithm 1).

Stages: `pretrain` (G by maximum likelihood), `d-pretrain` (D on real vs generated), then
`adversarial`: every `d_steps` steps G takes one policy-gradient update, whose per-token rewards
are D's probability of 'real' averaged over Monte-Carlo rollouts of each prefix, and D trains
on every step on a fresh generated batch against a real one. The rollout policy is a delayed
copy of G (`rollout`, a network no player trains, so checkpoints carry it): copied from G when
the stage starts, then moved towards G by `rollout_rate` before each G update. The `mle`
baseline replaces D pretraining and the adversarial stage by as many more MLE updates of G.
"""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from gantool.errors import GantoolError
from gantool.train import Game, Player, Stage, StepContext
from gantool.train.devices import draw_device
from gantool.train.warm_start import init_path
from gantool_seqgan.config import SeqganConfig
from gantool_seqgan.corpus import Corpus, SequenceDataset, load_corpus
from gantool_seqgan.inference import Model, load
from gantool_seqgan.models import Generator, build_networks
from gantool_seqgan.plugin import TASK
from gantool_seqgan.scores import score
from gantool_seqgan.vocab import Vocabulary

REWARD_CHUNK = 4096
"""Rollout sequences scored by D at once (bounds memory)."""


def step_rng(ctx: StepContext) -> torch.Generator:
    """A sampling generator that depends only on (seed, step, call): exact resumption. Its
    seed is drawn on the CPU, so making it reads nothing back from a GPU."""
    seed = int(ctx.randint(2**62, 1, on_cpu=True))
    return torch.Generator(device=draw_device(ctx.device)).manual_seed(seed)


def mle_loss(ctx: StepContext) -> Tensor:
    return ctx.networks["G"].nll(ctx.batch)


def d_loss(ctx: StepContext) -> tuple[Tensor, dict[str, Tensor]]:
    """Real vs generated; the negatives are drawn once per step, so D's `k_epochs` repeated
    updates in a step revisit the same ones, as the paper's epochs over a negative set do."""
    real = ctx.batch
    fake = ctx.once("negatives", lambda: ctx.networks["G"].sample(
        len(real), real.shape[1], generator=step_rng(ctx)))
    logits = ctx.networks["D"](torch.cat([real, fake]))
    target = torch.cat([logits.new_ones(len(real)), logits.new_zeros(len(fake))])
    accuracy = ((logits > 0).float() == target).float().mean()
    return F.binary_cross_entropy_with_logits(logits, target), {"accuracy": accuracy}


def real_probability(critic: nn.Module, sequences: Tensor) -> Tensor:
    """D's probability of 'real' for each sequence, REWARD_CHUNK at a time."""
    return torch.cat([torch.sigmoid(critic(chunk)) for chunk in sequences.split(REWARD_CHUNK)])


@torch.no_grad()
def rewards(rollout: Generator, critic: nn.Module, samples: Tensor, rollouts: int,
            generator: torch.Generator) -> Tensor:
    """Q(prefix_t, y_t) for every position, (B, T): D's mean probability of 'real' over the
    rollouts completing the first t tokens, and D on the sample itself at the last token and
    wherever the prefix has already ended (its every rollout is the sample)."""
    was_training = critic.training
    critic.eval()
    try:
        final = real_probability(critic, samples)  # (B,)
        by_prefix = rollout.rollout(samples, rollouts, generator).transpose(1, 2)  # T-1,B,M,T
        if rollout.end is None:
            partial = real_probability(critic, by_prefix.flatten(0, 2)).view(
                by_prefix.shape[:3]).mean(2)
        else:
            open_ = ~torch.stack([rollout.ended(samples[:, :t])
                                  for t in range(1, samples.shape[1])])  # (T-1, B)
            partial = final.expand(len(open_), -1).clone()
            partial[open_] = real_probability(critic, by_prefix[open_].flatten(0, 1)).view(
                -1, rollouts).mean(1)
    finally:
        critic.train(was_training)
    return torch.cat([partial.transpose(0, 1), final.unsqueeze(1)], dim=1)


@torch.no_grad()
def follow(rollout: nn.Module, generator: nn.Module, rate: float, restart: bool) -> None:
    """rollout <- rate * rollout + (1 - rate) * G, or a plain copy when the stage starts."""
    for target, source in zip(rollout.parameters(), generator.parameters(), strict=True):
        if restart:
            target.copy_(source)
        else:
            target.mul_(rate).add_(source, alpha=1.0 - rate)


def make_policy_loss(config: SeqganConfig):
    def policy_loss(ctx: StepContext) -> tuple[Tensor, dict[str, Tensor]]:
        nets = ctx.networks
        follow(nets["rollout"], nets["G"], config.rollout_rate, restart=ctx.stage_step == 0)
        rng = step_rng(ctx)
        samples = nets["G"].sample(config.g_batch, config.seq_len, generator=rng)
        reward = rewards(nets["rollout"], nets["D"], samples, config.rollouts, rng)
        chosen = nets["G"].live(samples)  # tokens after a line's end were not G's choice
        loss = -(nets["G"].log_probs(samples) * reward * chosen).sum() / chosen.sum()
        return loss, {"reward": reward.mean()}

    return policy_loss


def init_model(config: SeqganConfig) -> Model | None:
    """The model G warm-starts from (`--init`), refused when its tokenizer is not the one the
    options ask for: its vocabulary is the run's."""
    if not config.init or "G" not in (config.init_networks or ("G",)):
        return None
    path = init_path(config.init, TASK, config)
    model = load(path)
    if not config.oracle and (model.vocab.level, model.vocab.lowercase) != (config.level,
                                                                           config.lowercase):
        raise GantoolError(f"vocabulary mismatch: --init {path} reads {model.vocab.level} "
                           f"tokens{' lowercased' if model.vocab.lowercase else ''}, the "
                           f"options ask for {config.level} tokens"
                           f"{' lowercased' if config.lowercase else ''}; drop --level and "
                           "--lowercase to keep the model's")
    return model


def check_vocabulary(model: Model, vocab: Vocabulary, path: Path) -> None:
    """Refuse a warm start whose vocabulary is not the data's (the oracle's numbered one)."""
    if model.vocab != vocab:
        raise GantoolError(f"vocabulary mismatch: --init {path} has {len(model.vocab)} "
                           f"{model.vocab.level} tokens, the data gives {len(vocab)} "
                           f"{vocab.level} tokens; start from a model trained on the same data "
                           "and tokenizer options")


def check_config(config: SeqganConfig) -> None:
    """The rules an option's bounds cannot say: a list of widths, an open upper bound."""
    if not config.d_widths or min(config.d_widths) < 1:
        raise GantoolError(f"--d-widths needs positive filter widths, got {config.d_widths}")
    if config.d_filters and (len(config.d_filters) != len(config.d_widths)
                             or min(config.d_filters) < 1):
        raise GantoolError(f"--d-filters needs one positive count per width of --d-widths "
                           f"({len(config.d_widths)}), got {config.d_filters}")
    if config.rollout_rate >= 1.0:
        raise GantoolError(f"--rollout-rate must be below 1 (at 1 the rollout policy stops "
                           f"following G), got {config.rollout_rate}")


def stages(config: SeqganConfig) -> list[Stage]:
    pretrain = Stage("pretrain", config.pretrain_steps, ["G_mle"])
    if config.mode == "mle":
        return [pretrain, Stage("mle", config.adversarial_steps * config.g_steps, ["G_mle"])]
    return [pretrain, Stage("d-pretrain", config.d_pretrain_steps, ["D"]),
            Stage("adversarial", config.adversarial_steps * config.d_steps, ["G", "D"])]


def build_game(config: SeqganConfig) -> Game:
    check_config(config)
    start = init_model(config)
    corpus: Corpus = load_corpus(config, start.vocab if start and not config.oracle else None)
    metadata = {"vocab": corpus.vocab.to_json(), "kind": "oracle" if config.oracle else "text"}
    networks = build_networks(config, metadata)
    adapted = ("G",) if start else ()
    if start:  # the core's warm start cannot see a vocabulary mismatch of equal shapes
        check_vocabulary(start, corpus.vocab, config.init)
        networks["G"].load_state_dict(start.generator.state_dict())
    players = [
        Player("G_mle", ["G"], mle_loss, lr=config.lr, betas=(0.9, 0.999),
               grad_clip=config.grad_clip),
        Player("G", ["G"], make_policy_loss(config), lr=config.lr, betas=(0.9, 0.999),
               grad_clip=config.grad_clip, every=config.d_steps, repeat=config.g_steps),
        Player("D", ["D"], d_loss, lr=config.d_lr, betas=(0.9, 0.999), repeat=config.k_epochs),
    ]
    return Game(
        networks=networks,
        players=players,
        stages=stages(config),
        data=SequenceDataset(corpus.train),
        evaluate=lambda nets: score(nets["G"], corpus, config.seq_len,
                                     config.eval_samples, config.seed),
        export=["G"],
        metadata=metadata,
        warm_started=adapted,
    )
