"""`gantool export pix2pix|cyclegan`: the shipped generators as ONNX graphs that compute what
PyTorch computes, at another batch size and image shape than they were traced at."""

from gantool.export import uniform
from gantool.testing import onnx_difference, onnx_metadata
from gantool_translation.translators import (
    CYCLEGAN_WEIGHTS,
    PIX2PIX_WEIGHTS,
    load_cyclegan,
    load_pix2pix,
)


def test_the_shipped_pix2pix_generator_exports_and_matches_pytorch(run_cli, tmp_path):
    out = tmp_path / "g.onnx"
    code, stdout, err = run_cli("export", "pix2pix", "--weights", PIX2PIX_WEIGHTS,
                                "--output", out)
    assert code == 0, err
    assert stdout.startswith(f"wrote {out}  (G: ")
    model = load_pix2pix(PIX2PIX_WEIGHTS)
    generator, step = model.directions["BtoA"].generator, model.multiple  # labels -> photo
    batch = uniform(2, 3, step, 2 * step, low=-1.0, seed=4)  # not square: both sides checked
    assert onnx_difference(out, generator, batch) < 1e-4
    assert onnx_metadata(out) | {"gantool": "-"} == {
        "gantool": "-", "task": "pix2pix", "network": "G", "weights": PIX2PIX_WEIGHTS.name,
        "direction": "BtoA", "multiple": str(step)}


def test_the_shipped_cyclegan_exports_one_graph_per_direction(run_cli, tmp_path):
    code, stdout, err = run_cli("export", "cyclegan", "--weights", CYCLEGAN_WEIGHTS,
                                "--output", tmp_path / "graphs")
    assert code == 0, err
    stem = CYCLEGAN_WEIGHTS.stem
    paths = {name: tmp_path / "graphs" / f"{stem}.{name}.onnx" for name in ("G_AB", "G_BA")}
    assert [line.split()[:2] for line in stdout.splitlines()] == [
        ["wrote", str(path)] for path in paths.values()]
    model = load_cyclegan(CYCLEGAN_WEIGHTS)
    for path, direction in zip(paths.values(), ("AtoB", "BtoA"), strict=True):
        generator = model.directions[direction].generator
        assert onnx_difference(path, generator, uniform(2, 3, 12, 28, low=-1.0, seed=3)) < 1e-4
        assert onnx_metadata(path)["direction"] == direction
