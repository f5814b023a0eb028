"""No data is ever lost, a folder with bad files still gives the good ones, and every way a
weights file can be wrong is one line."""

from pathlib import Path

import pytest
from PIL import Image
from superres_fixtures import photo

from gantool.errors import GantoolError
from gantool.models import load_model
from gantool.testing import damaged_weights, one_line_error
from gantool_superres.plugin import TASK
from gantool_superres.weights import load_generator


@pytest.mark.parametrize("over", ["input", "weights"])
def test_output_over_the_input_or_the_weights_is_refused(gantool, weights, rgb_png, over):
    output = rgb_png if over == "input" else weights
    before = output.read_bytes()
    one_line_error(gantool("run", "superres", "--input", rgb_png, "--output", output,
                           "--weights", weights), "is the file being read")
    assert output.read_bytes() == before


def test_existing_output_is_kept_unless_overwrite(gantool, weights, rgb_png):
    target = rgb_png.with_name("photo_x4.png")
    target.write_bytes(b"keep me")
    args = ("run", "superres", "--input", rgb_png, "--weights", weights)
    one_line_error(gantool(*args), "already exists; pass --overwrite")
    assert target.read_bytes() == b"keep me"
    code, out, _ = gantool(*args, "--overwrite")
    assert code == 0 and f"wrote {target}" in out
    assert Image.open(target).size == (160, 120)


def test_folder_with_a_corrupt_file_writes_the_others_and_exits_1(gantool, tmp_path, weights):
    folder = tmp_path / "photos"
    folder.mkdir()
    for name in ("a", "c"):
        Image.fromarray(photo()).save(folder / f"{name}.png")
    (folder / "b.png").write_bytes(b"not a picture")
    code, out, err = gantool("run", "superres", "--input", folder, "--weights", weights)
    assert code == 1 and "Traceback" not in err
    assert {Path(line.removeprefix("wrote ")).name for line in out.splitlines()} == \
        {"a_x4.png", "c_x4.png"}
    assert f"failed: {folder / 'b.png'}" in err and "1 of 3 inputs failed" in err
    assert not (folder / "b_x4.png").exists()


BAD_WEIGHTS = {  # case: (how damaged_weights changes the file, what the error says)
    "missing tensor": ({"drop_tensor": "networks/G/head.0.bias"}, "metadata describes"),
    "no generator": ({"drop_tensor": "", "drop_key": "networks"}, "does not hold the generator"),
    "missing metadata key": ({"drop_key": "architecture"},
                             "no valid super-resolution architecture metadata"),
    "other task": ({"task": "gaussians"}, "weights for task 'gaussians', not 'superres'"),
}
EVERY_BAD_WEIGHTS = pytest.mark.parametrize("case", list(BAD_WEIGHTS))


def _bad_weights(weights: Path, folder: Path, case: str) -> tuple[Path, str]:
    change, message = BAD_WEIGHTS[case]
    return damaged_weights(weights, folder / "bad.safetensors", **change), message


@EVERY_BAD_WEIGHTS
@pytest.mark.parametrize("engine", ["onnxruntime", "torch"])
def test_bad_weights_are_one_line_on_either_engine(gantool, tmp_path, weights, rgb_png, case,
                                                   engine):
    path, message = _bad_weights(weights, tmp_path, case)
    one_line_error(gantool("run", "superres", "--input", rgb_png, "--weights", path,
                           "--engine", engine, "--precision", "fp32"), message)
    assert not rgb_png.with_name("photo_x4.png").exists()


@EVERY_BAD_WEIGHTS
def test_bad_init_weights_are_one_line(gantool, tmp_path, weights, rgb_png, case):
    path, message = _bad_weights(weights, tmp_path, case)
    one_line_error(gantool("train", "superres", "--data", rgb_png.parent, "--init", path,
                           "--out", tmp_path / "run", "--quiet"), message)


def test_load_model_names_the_missing_architecture(tmp_path, weights):
    bare = damaged_weights(weights, tmp_path / "bare.safetensors", drop_key="architecture")
    with pytest.raises(GantoolError, match="lacks the metadata 'architecture'"):
        load_model(bare, TASK)


def test_shipped_weights_without_a_networks_list_load():
    from gantool.metadata import read_metadata
    from gantool_superres.weights import SHIPPED

    older = [path for path in SHIPPED.values() if "networks" not in read_metadata(path)]
    assert older  # the clean models were exported before files listed their networks
    for path in SHIPPED.values():
        generator = load_generator(path, 4)
        assert generator.arch.blocks == 16 and not generator.training
