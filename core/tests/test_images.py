"""One image reader for every task: the files people have, and one line for bad ones."""

import numpy as np
import pytest
from PIL import Image

from gantool.errors import GantoolError
from gantool.images import image_files, open_image, read_image, resize, to_channels, write_png


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


def test_one_rule_converts_channels_for_arrays_tensors_and_files(tmp_path):
    """Grey made colour repeats its plane; colour made grey is the luma that reading a file
    as grey gives, for arrays and tensors alike."""
    import torch

    from gantool.image_tensors import set_channels

    rgb = np.random.default_rng(0).integers(0, 256, (5, 7, 3), dtype=np.uint8)
    path = tmp_path / "colour.png"
    write_png(rgb, path)
    grey = to_channels(rgb, 1)
    assert grey.shape == (5, 7, 1) and grey.dtype == np.uint8
    assert np.abs(grey.astype(int) - read_image(path, "L").astype(int)).max() <= 1
    tensor = torch.from_numpy(rgb).permute(2, 0, 1)
    assert torch.equal(set_channels(tensor, 1), torch.from_numpy(grey).permute(2, 0, 1))
    floats = rgb.astype(np.float32) / 255
    assert np.allclose(set_channels(torch.from_numpy(floats).permute(2, 0, 1), 1)
                       .permute(1, 2, 0).numpy(), to_channels(floats, 1))
    assert (to_channels(grey, 3) == grey).all() and to_channels(grey, 3).shape == (5, 7, 3)
    assert set_channels(tensor[:1], 3).shape == (3, 5, 7)


def test_tensors_resize_bilinearly_and_keep_their_type_and_range():
    import torch

    from gantool.image_tensors import resize as resize_tensor

    stripes = torch.zeros(1, 1, 8, 8, dtype=torch.uint8)
    stripes[..., ::2] = 255
    small = resize_tensor(stripes, 4)
    assert small.dtype == torch.uint8 and small.shape == (1, 1, 4, 4)
    assert (small[..., 1:3].int() - 128).abs().max() <= 1  # antialiased: stripes average out
    floats = torch.rand(2, 3, 5, 6)
    large = resize_tensor(floats, (10, 12))
    assert large.shape == (2, 3, 10, 12) and 0 <= large.min() and large.max() <= 1
    assert resize_tensor(floats, (5, 6)) is floats
