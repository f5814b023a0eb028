"""One image reader for every task: the files people have, and one line for bad ones."""

import numpy as np
import pytest
from PIL import Image

from gantool.errors import GantoolError
from gantool.images import image_files, open_image, read_image, resize, write_png


def test_exif_orientation_is_applied(tmp_path):
    pixels = np.zeros((2, 4, 3), np.uint8)
    pixels[0, 0] = 255  # a marker top-left of a 4x2 landscape image
    path = tmp_path / "phone.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated: shown turned 90 degrees clockwise
    Image.fromarray(pixels).save(path, exif=exif, quality=100)
    image = open_image(path)
    assert image.size == (2, 4)


@pytest.mark.parametrize(("mode", "channels"), [("L", 1), ("RGB", 3), ("RGBA", 3),
                                                 ("P-grey", 1), ("P", 3), ("I;16", 1)])
def test_modes_become_8bit_grey_or_rgb(tmp_path, mode, channels):
    path = tmp_path / "x.png"
    if mode == "I;16":
        Image.fromarray(np.full((3, 3), 65535, np.uint16)).save(path)
    elif mode.startswith("P"):
        image = Image.new("P", (3, 3))
        palette = [v for i in range(256) for v in ((i, i, i) if mode == "P-grey" else (i, 0, 0))]
        image.putpalette(palette)
        image.save(path)
    else:
        Image.new(mode, (3, 3), "white").save(path)
    pixels = read_image(path)
    assert pixels.dtype == np.uint8 and pixels.shape == (3, 3, channels)
    if mode == "I;16":
        assert pixels.max() == 255


def test_animated_files_give_their_first_frame_with_a_notice(tmp_path, capsys):
    path = tmp_path / "anim.gif"
    frames = [Image.new("L", (4, 4), v) for v in (10, 200)]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    assert read_image(path).mean() == pytest.approx(10, abs=1)
    assert "animated" in capsys.readouterr().err


def test_bad_files_are_one_clear_error(tmp_path):
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    with pytest.raises(GantoolError, match="not an image"):
        open_image(text)
    big = tmp_path / "big.png"
    Image.new("L", (100, 100)).save(big)
    with pytest.raises(GantoolError, match="above the limit"):
        open_image(big, max_pixels=5000)
    truncated = tmp_path / "cut.png"
    Image.new("RGB", (64, 64), "red").save(truncated)
    truncated.write_bytes(truncated.read_bytes()[:60])
    with pytest.raises(GantoolError, match="truncated or corrupt|cannot read|not an image"):
        open_image(truncated)
    with pytest.raises(GantoolError, match="not found"):
        open_image(tmp_path / "missing.png")


def test_listing_resizing_and_writing(tmp_path):
    (tmp_path / "sub").mkdir()
    for name in ("b.png", "a.JPG", "sub/c.png", "notes.txt"):
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in image_files(tmp_path)] == ["a.JPG", "b.png"]
    assert [p.name for p in image_files(tmp_path, recursive=True)] == ["a.JPG", "b.png",
                                                                      "c.png"]
    out = tmp_path / "out.png"
    write_png(resize(np.zeros((4, 6, 1), np.uint8), (3, 2)), out)
    assert read_image(out).shape == (2, 3, 1)
    assert not list(tmp_path.glob(".*tmp*"))
