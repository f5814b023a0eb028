"""Any digit picture is converted as MNIST's digits were made; the shipped classifier reads the
sample digit with no --weights and prints one JSON object per image."""

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw
from scipy import ndimage

from gantool.errors import GantoolError
from gantool.testing import one_line_error
from gantool_semisup.digit_images import as_mnist, is_mnist_like
from gantool_semisup.trained import SHIPPED

SAMPLE = Path(__file__).resolve().parents[3] / "datasets" / "samples" / "digit.png"


def ink_on_paper(size=(160, 120), colour=True) -> np.ndarray:
    """A dark stroke (a '7') off-centre on light paper, as a photo of a written digit."""
    image = Image.new("RGB" if colour else "L", size, (235, 228, 210) if colour else 235)
    draw = ImageDraw.Draw(image)
    ink = (30, 30, 60) if colour else 30
    draw.line([(20, 20), (70, 20), (40, 100)], fill=ink, width=9)
    pixels = np.asarray(image)
    return pixels if colour else pixels[:, :, None]


@pytest.mark.parametrize("colour", [True, False])
def test_a_written_digit_becomes_light_on_black_fitted_and_centred(colour):
    digit = as_mnist(ink_on_paper(colour=colour), "photo.png")[:, :, 0]
    assert digit.shape == (28, 28) and digit.dtype == np.uint8
    assert digit[0].max() == 0 and digit[:, 0].max() == 0  # black border, light strokes
    rows, columns = np.nonzero(digit > 25)
    assert max(np.ptp(rows), np.ptp(columns)) in range(18, 23)  # fitted into a 20x20 box
    centre = np.array(ndimage.center_of_mass(digit.astype(float)))
    assert np.abs(centre - 13.5).max() < 0.6


def test_a_blank_picture_is_refused():
    with pytest.raises(GantoolError, match="shows no digit"):
        as_mnist(np.full((40, 40, 3), 200, np.uint8), "blank.png")


def test_only_28x28_grey_on_black_counts_as_mnist_already():
    assert is_mnist_like(np.zeros((28, 28, 1), np.uint8))
    assert not is_mnist_like(np.full((28, 28, 1), 255, np.uint8))
    assert not is_mnist_like(np.zeros((28, 28, 3), np.uint8))


def test_the_shipped_classifier_reads_the_sample_digit(run_cli):
    assert SHIPPED.is_file(), "the shipped ssl-gan weights are missing"
    code, out, err = run_cli("run", "ssl-gan", "--input", SAMPLE, "--json")
    assert code == 0, err
    (row,) = [json.loads(line) for line in out.splitlines()]
    assert row["file"] == str(SAMPLE) and row["class"] == "7" and row["probability"] > 0.5
    assert "converted as MNIST's digits are" in err


def test_a_folder_prints_one_json_object_per_image(run_cli, tmp_path):
    folder = tmp_path / "digits"
    folder.mkdir()
    Image.open(SAMPLE).save(folder / "a.png")
    Image.fromarray(ink_on_paper()).save(folder / "b.jpg")
    code, out, err = run_cli("run", "ssl-gan", "--input", folder, "--json")
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert [Path(row["file"]).name for row in rows] == ["a.png", "b.jpg"]
    assert all(set(row) == {"file", "class", "probability"} for row in rows)


def test_triple_gan_without_weights_is_one_line(run_cli):
    one_line_error(run_cli("run", "triple-gan", "--input", SAMPLE), "triple-gan ships no model")
