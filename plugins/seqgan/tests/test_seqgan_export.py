"""`gantool export seqgan`: one LSTM step of the generator, state in and out, as an ONNX graph;
stepping it from the start token gives the logits PyTorch's generator gives."""

import json

import numpy as np
import onnxruntime as ort
import pytest
import torch

from gantool.export import uniform
from gantool.models import load_model
from gantool.testing import onnx_difference, onnx_metadata, smoke_weights
from gantool_seqgan.export import GeneratorStep


@pytest.fixture(scope="module")
def weights(tmp_path_factory: pytest.TempPathFactory):
    """The model of the task's smoke run (MLE, D pretraining and an adversarial step)."""
    return smoke_weights("seqgan", tmp_path_factory.mktemp("seqgan"))


@pytest.fixture
def graph(run_cli, weights, tmp_path):
    out = tmp_path / "g.onnx"
    code, stdout, err = run_cli("export", "seqgan", "--weights", weights, "--output", out)
    assert code == 0, err
    assert stdout.startswith(f"wrote {out}  (G: ")
    return out


def test_the_generator_step_exports_and_matches_pytorch(weights, graph):
    generator = load_model(weights, "seqgan")["G"]
    hidden, start = generator.lstm.hidden_size, generator.vocab_size
    tokens = torch.tensor([0, start, 1, 2])
    state = (uniform(1, 4, hidden, low=-1.0), uniform(1, 4, hidden, low=-1.0, seed=1))
    assert onnx_difference(graph, GeneratorStep(generator), tokens, *state) < 1e-5
    meta = onnx_metadata(graph)
    assert meta["start_token"] == str(start) and json.loads(meta["vocab"])


def test_stepping_the_graph_gives_the_teacher_forced_logits(weights, graph):
    generator = load_model(weights, "seqgan")["G"]
    tokens = torch.tensor([[1, 4, 2, 3, 0], [2, 2, 5, 1, 3]])
    with torch.no_grad():
        want = generator(tokens).numpy()
    session = ort.InferenceSession(str(graph), providers=["CPUExecutionProvider"])
    zeros = np.zeros((1, 2, generator.lstm.hidden_size), np.float32)
    feeds = {"token": np.full(2, generator.vocab_size, np.int64), "h": zeros, "c": zeros}
    for t in range(tokens.shape[1]):
        logits, h, c = session.run(None, feeds)
        assert np.abs(logits - want[:, t]).max() < 1e-5
        feeds = {"token": tokens[:, t].numpy(), "h": h, "c": c}
