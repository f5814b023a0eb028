"""`gantool run` never loses data, and every way a model file can be wrong is one line."""

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from safetensors import safe_open
from safetensors.torch import load_file, save_file
from translation_fixtures import one_line_error, save, scene

from gantool_translation.translators import CYCLEGAN_WEIGHTS, PIX2PIX_WEIGHTS

SHIPPED = {"pix2pix": PIX2PIX_WEIGHTS, "cyclegan": CYCLEGAN_WEIGHTS}
CHANNELS_KEY = {"pix2pix": "channels_in", "cyclegan": "channels_a"}
GENERATOR = {"pix2pix": "G", "cyclegan": "G_AB"}
INPUT = {"pix2pix": "grey_image", "cyclegan": "colour_image"}
"""The fixture holding an image the task's shipped model takes."""
TASKS = pytest.mark.parametrize("task", ["pix2pix", "cyclegan"])


def sample(request: pytest.FixtureRequest, task: str) -> Path:
    return request.getfixturevalue(INPUT[task])


def rewritten(task: str, path: Path, keep_tensor=lambda name: True, drop_key: str = "") -> Path:
    """A copy of the task's shipped weights without some tensors or one metadata key."""
    with safe_open(str(SHIPPED[task]), framework="pt") as handle:
        metadata = {k: v for k, v in handle.metadata().items() if k != drop_key}
    tensors = {k: v for k, v in load_file(SHIPPED[task]).items() if keep_tensor(k)}
    save_file(tensors, str(path), metadata=metadata)
    return path


def test_output_that_is_the_input_is_refused(run_cli, grey_image):
    before = grey_image.read_bytes()
    one_line_error(run_cli("run", "pix2pix", "--input", grey_image, "--output", grey_image,
                           "--overwrite"), "is the file being read")
    assert grey_image.read_bytes() == before


def test_output_that_is_the_weights_is_refused(run_cli, colour_image, tmp_path):
    weights = tmp_path / "model.safetensors"
    shutil.copy(CYCLEGAN_WEIGHTS, weights)
    before = weights.read_bytes()
    one_line_error(run_cli("run", "cyclegan", "--input", colour_image, "--weights", weights,
                           "--output", weights, "--overwrite"), "is the file being read")
    assert weights.read_bytes() == before


@TASKS
def test_existing_output_is_replaced_only_with_overwrite(run_cli, request, task, tmp_path):
    source = sample(request, task)
    output = tmp_path / "out.png"
    output.write_bytes(b"keep me")
    one_line_error(run_cli("run", task, "--input", source, "--output", output),
                   "already exists; pass --overwrite")
    assert output.read_bytes() == b"keep me"
    code, out, err = run_cli("run", task, "--input", source, "--output", output, "--overwrite")
    assert code == 0, err
    assert f"wrote {output}" in out and Image.open(output).size == (21, 13)


def test_folder_with_a_corrupt_file_translates_the_others(run_cli, colour_image):
    folder = colour_image.parent
    save(scene(16, np.random.default_rng(1)), folder / "second.png")
    (folder / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    code, out, err = run_cli("run", "cyclegan", "--input", folder)
    assert code == 1, err
    assert "broken.png" in err and "Traceback" not in err
    written = folder / "cyclegan_AtoB"
    assert sorted(p.name for p in written.iterdir()) == ["colour_cyclegan_AtoB.png",
                                                         "second_cyclegan_AtoB.png"]
    assert out.count("wrote ") == 2


@TASKS
def test_weights_missing_one_tensor(run_cli, request, task, tmp_path):
    first = sorted(load_file(SHIPPED[task]))[0]
    weights = rewritten(task, tmp_path / "model.safetensors", lambda name: name != first)
    one_line_error(run_cli("run", task, "--input", sample(request, task),
                           "--weights", weights), "does not fit")


@TASKS
def test_weights_missing_a_whole_generator(run_cli, request, task, tmp_path):
    prefix = f"networks/{GENERATOR[task]}/"
    weights = rewritten(task, tmp_path / "model.safetensors",
                        lambda name: not name.startswith(prefix))
    one_line_error(run_cli("run", task, "--input", sample(request, task),
                           "--weights", weights), f"network '{GENERATOR[task]}'")


@TASKS
def test_weights_missing_a_metadata_key(run_cli, request, task, tmp_path):
    weights = rewritten(task, tmp_path / "model.safetensors", drop_key=CHANNELS_KEY[task])
    one_line_error(run_cli("run", task, "--input", sample(request, task),
                           "--weights", weights), f"lacks the metadata '{CHANNELS_KEY[task]}'")


@pytest.mark.parametrize(("task", "other"), [("pix2pix", "cyclegan"), ("cyclegan", "pix2pix")])
def test_weights_of_the_other_task(run_cli, request, task, other):
    one_line_error(run_cli("run", task, "--input", sample(request, task),
                           "--weights", SHIPPED[other], "--convert"), f"not '{task}'")


def test_truncated_weights(run_cli, grey_image, tmp_path):
    weights = tmp_path / "model.safetensors"
    weights.write_bytes(PIX2PIX_WEIGHTS.read_bytes()[:100_000])
    one_line_error(run_cli("run", "pix2pix", "--input", grey_image, "--weights", weights),
                   str(weights))
