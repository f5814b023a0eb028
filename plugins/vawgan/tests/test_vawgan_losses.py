"""The VAW-GAN stage's losses: what the critic's verdict trains."""

import pytest
import torch

from gantool.train import StepContext
from gantool_vawgan.config import VawganConfig
from gantool_vawgan.models import Critic, Decoder, Encoder
from gantool_vawgan.training import make_losses


def context(dims: int = 6, speakers: int = 3) -> StepContext:
    torch.manual_seed(0)
    networks = {"encoder": Encoder(dims, 8, 4), "decoder": Decoder(dims, 8, 4, speakers, 4),
                "critic": Critic(dims, 8, speakers)}
    batch = (torch.randn(12, dims), torch.arange(12) % speakers)
    return StepContext(batch=batch, networks=networks, step=0, stage="vawgan", stage_step=0,
                       stage_steps=1, seed=0, device=torch.device("cpu"))


@pytest.mark.parametrize("adversarial_encoder", [False, True])
def test_the_critics_verdict_reaches_the_encoder_only_when_asked(tmp_path, adversarial_encoder):
    config = VawganConfig(data=tmp_path, adversarial_encoder=adversarial_encoder,
                          kl_weight=0.0)
    *_, vawgan_loss = make_losses(config)
    ctx = context()
    loss, logged = vawgan_loss(ctx)
    encoder = list(ctx.networks["encoder"].parameters())
    from_recon = torch.autograd.grad(logged["recon"], encoder, retain_graph=True)
    total = torch.autograd.grad(loss, encoder)
    moved = any(not torch.allclose(t, r) for t, r in zip(total, from_recon, strict=True))
    assert moved == adversarial_encoder  # kl_weight 0: recon and the adversarial term alone


def test_the_cycle_term_adds_its_weight_times_the_round_trips_error(tmp_path):
    losses = {}
    for weight in (0.0, 2.0):
        *_, vawgan_loss = make_losses(VawganConfig(data=tmp_path, cycle_weight=weight))
        losses[weight] = vawgan_loss(context())
    (plain, plain_logged), (cycled, logged) = losses[0.0], losses[2.0]
    assert "cycle" not in plain_logged and logged["cycle"] > 0
    torch.testing.assert_close(cycled, plain + 2.0 * logged["cycle"])


def test_the_round_trip_is_decoded_as_the_source_speaker(tmp_path):
    """A decoder that outputs its speaker's index in every dimension gives each frame back
    exactly when the round trip ends at the speaker the frame came from."""

    class SpeakerDecoder(torch.nn.Module):
        def forward(self, z, speaker):
            return speaker.float()[:, None].expand(-1, 6) + 0 * z.sum()

    ctx = context(speakers=4)  # half a batch away is another speaker
    speaker = ctx.batch[1]
    assert (speaker != speaker.roll(6, 0)).all()
    ctx.batch = (speaker.float()[:, None].expand(-1, 6), speaker)
    ctx.networks["decoder"] = SpeakerDecoder()
    *_, vawgan_loss = make_losses(VawganConfig(data=tmp_path, cycle_weight=1.0))
    assert vawgan_loss(ctx)[1]["cycle"] == 0
