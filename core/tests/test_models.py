"""`load_model` rebuilds what the trainer exported, and every bad file is one clear line."""

import json
import pickle

import pytest
import torch
from safetensors.torch import load_file, save_file

from gantool.demos.gaussians import build_game
from gantool.errors import GantoolError
from gantool.models import load_model
from gantool.train.trainer import train


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    from gantool.config import build
    from gantool.demos.gaussians_config import GaussiansConfig

    config = build(GaussiansConfig, {"steps": 2, "batch_size": 8, "hidden": 8, "z_dim": 2,
                                     "device": "cpu", "checkpoint_every": 0})
    out = tmp_path_factory.mktemp("run")
    train(lambda: build_game(config), config, out, task="gaussians", quiet=True)
    return out / "model.safetensors"


def _rewrite(source, target, tensors=None, **metadata_changes):
    from safetensors import safe_open

    with safe_open(str(source), framework="pt") as handle:
        metadata = dict(handle.metadata())
    metadata.update(metadata_changes)
    metadata = {k: v for k, v in metadata.items() if v is not None}
    save_file(tensors if tensors is not None else load_file(str(source)), str(target),
              metadata=metadata)
    return target


def test_an_export_loads_back_in_eval_mode_with_its_config(exported):
    model = load_model(exported, "gaussians")
    assert set(model.networks) == {"G"}
    assert not model["G"].training
    assert not any(p.requires_grad for p in model["G"].parameters())
    assert model.config.hidden == 8
    state = load_file(str(exported))
    assert torch.equal(model["G"].state_dict()["0.weight"], state["networks/G/0.weight"])


def test_missing_tensor_other_shape_and_other_task_are_one_line(exported, tmp_path):
    tensors = load_file(str(exported))
    missing = {k: v for k, v in tensors.items() if not k.endswith("0.bias")}
    cases = {
        "missing": (_rewrite(exported, tmp_path / "m.safetensors", missing), "does not fit"),
        "shape": (_rewrite(exported, tmp_path / "s.safetensors",
                           config=json.dumps({**json.loads(
                               _meta(exported)["config"]), "hidden": 4})), "does not fit"),
        "task": (_rewrite(exported, tmp_path / "t.safetensors", task="digits"),
                 "weights for task 'digits'"),
        "network": (_rewrite(exported, tmp_path / "n.safetensors",
                             networks=json.dumps(["G", "Q"])), "network 'Q'"),
        "config": (_rewrite(exported, tmp_path / "c.safetensors", config="{torn"),
                   "damaged config"),
    }
    for name, (path, message) in cases.items():
        with pytest.raises(GantoolError, match=message) as caught:
            load_model(path, "gaussians")
        assert "\n" not in str(caught.value), name


def test_truncated_pickled_and_missing_files_are_one_line(exported, tmp_path):
    truncated = tmp_path / "cut.safetensors"
    truncated.write_bytes(exported.read_bytes()[:200])
    pickled = tmp_path / "model.pt"
    pickled.write_bytes(pickle.dumps({"G": [1, 2, 3]}))
    for path, message in ((truncated, "not a readable safetensors|corrupt"),
                          (pickled, "not a readable safetensors"),
                          (tmp_path / "none.safetensors", "not found")):
        with pytest.raises(GantoolError, match=message):
            load_model(path, "gaussians")


def test_a_builder_missing_metadata_names_the_key(exported):
    def needs_classes(config, metadata):
        return {"G": torch.nn.Linear(1, int(metadata["classes"]))}

    from gantool.demos.gaussians_config import GaussiansConfig

    with pytest.raises(GantoolError, match="lacks the metadata 'classes'"):
        load_model(exported, "gaussians", builder=needs_classes, config_class=GaussiansConfig)


def _meta(path):
    from safetensors import safe_open

    with safe_open(str(path), framework="pt") as handle:
        return dict(handle.metadata())
