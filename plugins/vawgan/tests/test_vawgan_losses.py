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
