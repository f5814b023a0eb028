"""`gantool export ssl-gan|triple-gan`: the classifiers (and Triple-GAN's conditional
generator) as ONNX graphs that compute what PyTorch computes at another batch size."""

import dataclasses
import json

import torch
import torch.nn.functional as F

from gantool.export import export_task, normal, uniform
from gantool.models import load_model
from gantool.plugins import get_plugins
from gantool.testing import onnx_difference, onnx_metadata
from gantool_semisup.models import layout


def export(task: str, weights, output):
    """Through the core's exporter with the plugin's declaration (`onnx=` of plugin.py)."""
    function = {"ssl-gan": "ssl_gan_graphs", "triple-gan": "triple_gan_graphs"}[task]
    spec = dataclasses.replace(get_plugins().tasks.get(task),
                               onnx=f"gantool_semisup.export:{function}")
    return export_task(spec, weights, "onnx", output)


def test_the_ssl_gan_classifier_exports_and_matches_pytorch(trained, tmp_path):
    (exported,) = export("ssl-gan", trained["ssl-gan"], tmp_path / "d.onnx")
    assert exported.name == "D" and exported.path == tmp_path / "d.onnx"
    model = load_model(trained["ssl-gan"], "ssl-gan")
    shape, _ = layout(model.metadata)
    assert onnx_difference(exported.path, model["D"], uniform(9, *shape, seed=4)) < 1e-5
    assert json.loads(onnx_metadata(exported.path)["classes"]) == json.loads(
        model.metadata["classes"])


def test_triple_gan_exports_its_classifier_and_its_conditional_generator(trained, tmp_path):
    weights = trained["triple-gan"]
    paths = [e.path for e in export("triple-gan", weights, tmp_path / "graphs")]
    assert paths == [tmp_path / "graphs" / f"model.{name}.onnx" for name in ("C", "G")]
    model = load_model(weights, "triple-gan")
    shape, classes = layout(model.metadata)
    assert onnx_difference(paths[0], model["C"], uniform(4, *shape, seed=2)) < 1e-5
    meta = onnx_metadata(paths[1])
    assert meta["z_noise"] == model.config.z_noise and meta["output"] == model.config.g_output
    z, labels = normal(7, model.config.z_dim, seed=3), torch.arange(7) % classes

    def generator(z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return model["G"](z, F.one_hot(y, classes).float())

    assert onnx_difference(paths[1], generator, z, labels) < 1e-5
