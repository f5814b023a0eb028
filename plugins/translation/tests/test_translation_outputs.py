"""`gantool run` never loses data, and every way a model file can be wrong is one line."""

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from safetensors import safe_open
from translation_fixtures import save, scene

from gantool.testing import damaged_weights, one_line_error
from gantool_translation.translators import CYCLEGAN_WEIGHTS, PIX2PIX_WEIGHTS

SHIPPED = {"pix2pix": PIX2PIX_WEIGHTS, "cyclegan": CYCLEGAN_WEIGHTS}
CHANNELS_KEY = {"pix2pix": "channels_in", "cyclegan": "channels_a"}
GENERATOR = {"pix2pix": "G", "cyclegan": "G_AB"}
INPUT = {"pix2pix": "colour_image", "cyclegan": "colour_image"}
"""The fixture holding an image the task's shipped model takes."""
TASKS = pytest.mark.parametrize("task", ["pix2pix", "cyclegan"])


def sample(request: pytest.FixtureRequest, task: str) -> Path:
    return request.getfixturevalue(INPUT[task])


@pytest.mark.parametrize(("task", "over"), [("pix2pix", "input"), ("cyclegan", "weights")])
def test_output_over_the_input_or_the_weights_is_refused(run_cli, request, task, over, tmp_path):
    source = sample(request, task)
    weights = shutil.copy(SHIPPED[task], tmp_path / "model.safetensors")
    output = source if over == "input" else weights
    before = output.read_bytes()
    one_line_error(run_cli("run", task, "--input", source, "--weights", weights,
                           "--output", output, "--overwrite"), "is the file being read")
    assert output.read_bytes() == before


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


def _damage(task: str, missing: str) -> tuple[dict[str, str], str]:
    """How `damaged_weights` takes `missing` out of the task's shipped weights, and what the
    error then says."""
    if missing == "one tensor":
        with safe_open(str(SHIPPED[task]), framework="pt") as handle:
            return {"drop_tensor": sorted(handle.keys())[0]}, "does not fit"
    if missing == "a whole generator":
        return {"drop_tensor": f"networks/{GENERATOR[task]}/"}, f"network '{GENERATOR[task]}'"
    return {"drop_key": CHANNELS_KEY[task]}, f"lacks the metadata '{CHANNELS_KEY[task]}'"


@TASKS
@pytest.mark.parametrize("missing", ["one tensor", "a whole generator", "a metadata key"])
def test_weights_missing_a_part_are_one_line(run_cli, request, task, missing, tmp_path):
    change, message = _damage(task, missing)
    weights = damaged_weights(SHIPPED[task], tmp_path / "model.safetensors", **change)
    one_line_error(run_cli("run", task, "--input", sample(request, task),
                           "--weights", weights), message)


@pytest.mark.parametrize(("task", "other"), [("pix2pix", "cyclegan"), ("cyclegan", "pix2pix")])
def test_weights_of_the_other_task(run_cli, request, task, other):
    one_line_error(run_cli("run", task, "--input", sample(request, task),
                           "--weights", SHIPPED[other], "--convert"), f"not '{task}'")


def test_truncated_weights(run_cli, grey_image, tmp_path):
    weights = tmp_path / "model.safetensors"
    weights.write_bytes(PIX2PIX_WEIGHTS.read_bytes()[:100_000])
    one_line_error(run_cli("run", "pix2pix", "--input", grey_image, "--weights", weights),
                   str(weights))
