"""On scikit-learn's digits, the K+1 GAN beats the same classifier trained on the labels alone."""

import pytest

from gantool.config import build
from gantool.data import digits
from gantool.train import train
from gantool_semisup.config import SemisupEval, SslGanConfig
from gantool_semisup.evaluation import evaluate_ssl_gan
from gantool_semisup.kplus1 import build_game


def held_out_error(data, out, **extra) -> float:
    config = build(SslGanConfig, {"data": data, "labels": 50, "steps": 1000, "device": "cpu",
                                  "threads": 1, "checkpoint_every": 0, **extra})
    train(lambda: build_game(config), config, out, task="ssl-gan", quiet=True)
    return evaluate_ssl_gan(SemisupEval(weights=out / "model.safetensors"))[0].rows[0][3]


@pytest.mark.slow
def test_k_plus_1_gan_beats_supervised_only_with_50_labels(tmp_path):
    data = digits.build(None, tmp_path / "digits", seed=0)
    supervised = held_out_error(data, tmp_path / "base", supervised_only=True)
    semi_supervised = held_out_error(data, tmp_path / "ssl")
    assert semi_supervised < supervised - 2.0, (semi_supervised, supervised)
