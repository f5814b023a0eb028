"""No data is ever lost, a folder with bad files still gives the good ones, and every way a
weights file can be wrong is one line."""

from pathlib import Path

import pytest
from PIL import Image
from superres_fixtures import photo, rewrite

from gantool.errors import GantoolError
from gantool.models import load_model
from gantool_superres.config import TASK
from gantool_superres.weights import load_generator


def one_error_line(code: int, err: str, message: str) -> None:
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1, err
    assert lines[0].startswith("error: ") and message in lines[0] and "Traceback" not in err


def test_output_that_is_the_input_is_refused(gantool, weights, rgb_png):
    before = rgb_png.read_bytes()
    code, _, err = gantool("run", "superres", "--input", rgb_png, "--output", rgb_png,
                           "--weights", weights)
    one_error_line(code, err, "is the file being read")
    assert rgb_png.read_bytes() == before


def test_output_that_is_the_weights_is_refused(gantool, weights, rgb_png):
    before = weights.read_bytes()
    code, _, err = gantool("run", "superres", "--input", rgb_png, "--output", weights,
                           "--weights", weights)
    one_error_line(code, err, "is the file being read")
    assert weights.read_bytes() == before


def test_existing_output_is_kept_unless_overwrite(gantool, weights, rgb_png):
    target = rgb_png.with_name("photo_x4.png")
    target.write_bytes(b"keep me")
    args = ("run", "superres", "--input", rgb_png, "--weights", weights)
    code, _, err = gantool(*args)
    one_error_line(code, err, "already exists; pass --overwrite")
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


def _bad_weights(weights: Path, folder: Path) -> dict[str, tuple[Path, str]]:
    return {
        "missing tensor": (rewrite(weights, folder / "cut.safetensors",
                                   drop=("networks/G/head.0.bias",)),
                           "metadata describes"),
        "no generator": (rewrite(weights, folder / "empty.safetensors",
                                 drop=tuple(_names(weights)), networks=None),
                         "does not hold the generator"),
        "missing metadata key": (rewrite(weights, folder / "bare.safetensors",
                                         architecture=None),
                                 "no valid super-resolution architecture metadata"),
        "other task": (rewrite(weights, folder / "other.safetensors", task="gaussians"),
                       "weights for task 'gaussians', not 'superres'"),
    }


def _names(weights: Path) -> list[str]:
    from safetensors import safe_open

    with safe_open(str(weights), framework="numpy") as handle:
        return list(handle.keys())


@pytest.mark.parametrize("case", ["missing tensor", "no generator", "missing metadata key",
                                  "other task"])
@pytest.mark.parametrize("engine", ["onnxruntime", "torch"])
def test_bad_weights_are_one_line_on_either_engine(gantool, tmp_path, weights, rgb_png, case,
                                                   engine):
    path, message = _bad_weights(weights, tmp_path)[case]
    code, _, err = gantool("run", "superres", "--input", rgb_png, "--weights", path,
                           "--engine", engine, "--precision", "fp32")
    one_error_line(code, err, message)
    assert not rgb_png.with_name("photo_x4.png").exists()


@pytest.mark.parametrize("case", ["missing tensor", "no generator", "missing metadata key",
                                  "other task"])
def test_bad_init_weights_are_one_line(gantool, tmp_path, weights, rgb_png, case):
    path, message = _bad_weights(weights, tmp_path)[case]
    code, _, err = gantool("train", "superres", "--data", rgb_png.parent, "--init", path,
                           "--out", tmp_path / "run", "--quiet")
    one_error_line(code, err, message)


def test_load_model_names_the_missing_architecture(tmp_path, weights):
    bare = rewrite(weights, tmp_path / "bare.safetensors", architecture=None)
    with pytest.raises(GantoolError, match="lacks the metadata 'architecture'"):
        load_model(bare, TASK)


def test_shipped_weights_without_a_networks_list_load():
    from gantool.metadata import read_metadata
    from gantool_superres.weights import SHIPPED

    for path in SHIPPED.values():
        assert "networks" not in read_metadata(path)
        generator = load_generator(path, 4)
        assert generator.arch.blocks == 16 and not generator.training
