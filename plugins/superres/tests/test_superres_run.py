"""`gantool run superres`: formats, naming, tiling limits and every kind of bad input."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from superres_fixtures import photo, write_weights

from gantool.config import build
from gantool.errors import GantoolError
from gantool.testing import one_line_error
from gantool_superres.architecture import Architecture
from gantool_superres.config import SuperResRun
from gantool_superres.inference import run_files


def run(weights: Path, **values) -> list[Path]:
    return run_files(build(SuperResRun, {"weights": weights, **values}))


def files_in(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


@pytest.mark.parametrize("mode", ["RGB", "L", "RGBA", "LA", "P"])
def test_modes_come_back_as_they_went_in(tmp_path, weights, mode):
    source = tmp_path / f"image_{mode}.png"
    Image.fromarray(photo()).convert(mode).save(source)
    (target,) = run(weights, input=str(source))
    assert target == tmp_path / f"image_{mode}_x4.png"
    result = Image.open(target)
    expected = {"P": "RGB", "LA": "LA"}.get(mode, mode)
    assert result.size == (160, 120) and result.mode == expected


def test_alpha_is_upscaled_separately(tmp_path, weights):
    rgba = np.dstack([photo(), np.zeros((30, 40), np.uint8)])
    rgba[:, 20:, 3] = 255
    source = tmp_path / "cut.png"
    Image.fromarray(rgba).save(source)
    (target,) = run(weights, input=str(source))
    alpha = np.asarray(Image.open(target))[..., 3]
    assert alpha[:, :70].max() == 0 and alpha[:, 90:].min() == 255


def test_sixteen_bit_grey_stays_sixteen_bit(tmp_path, weights):
    grey = (photo()[..., 0].astype(np.uint16) * 257)
    source = tmp_path / "deep.png"
    Image.fromarray(grey).save(source)
    (target,) = run(weights, input=str(source))
    result = np.asarray(Image.open(target))
    assert result.dtype == np.uint16 and result.shape == (120, 160)
    assert abs(result.astype(float).mean() - grey.astype(float).mean()) < 0.02 * 65535


def test_exif_orientation_is_applied(tmp_path, weights):
    source = tmp_path / "phone.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # shown turned a quarter clockwise
    Image.fromarray(photo()).save(source, exif=exif)
    (target,) = run(weights, input=str(source))
    assert Image.open(target).size == (120, 160)


def test_a_cmyk_jpeg_is_converted_to_rgb_with_a_notice(tmp_path, weights, capsys):
    """Print shops and some scanners write CMYK JPEGs; the upscale is RGB, in the colours of
    the same photo's lossless RGB file (an inverted reading is about 90 levels off)."""
    cmyk, rgb = tmp_path / "print.jpg", tmp_path / "screen.png"
    Image.fromarray(photo()).convert("CMYK").save(cmyk, quality=95)
    Image.fromarray(photo()).save(rgb)
    (from_cmyk,) = run(weights, input=str(cmyk))
    (from_rgb,) = run(weights, input=str(rgb))
    assert "CMYK" in capsys.readouterr().err
    result = Image.open(from_cmyk)
    assert result.mode == "RGB" and result.size == (160, 120)
    difference = np.abs(np.asarray(result, float) - np.asarray(Image.open(from_rgb), float))
    assert difference.mean() < 4


def test_a_progressive_jpeg_upscales_as_its_baseline_twin(tmp_path, weights):
    """The same quantised coefficients, only ordered otherwise in the file: the same pixels."""
    progressive, baseline = tmp_path / "web.jpg", tmp_path / "plain.jpg"
    Image.fromarray(photo()).save(progressive, quality=80, progressive=True)
    Image.fromarray(photo()).save(baseline, quality=80)
    outputs = [np.asarray(Image.open(run(weights, input=str(path))[0]), int)
               for path in (progressive, baseline)]
    assert np.abs(outputs[0] - outputs[1]).max() <= 1


def test_a_truncated_progressive_jpeg_is_one_line_and_no_output(tmp_path, weights):
    source = tmp_path / "cut.jpg"
    Image.fromarray(photo(200, 200)).save(source, quality=80, progressive=True)
    source.write_bytes(source.read_bytes()[:-400])
    with pytest.raises(GantoolError, match="truncated or corrupt"):
        run(weights, input=str(source))
    assert files_in(tmp_path) == {"cut.jpg", "tiny.safetensors"}


@pytest.mark.parametrize("suffix", [".jpg", ".webp", ".bmp"])
def test_other_formats_are_read(tmp_path, weights, suffix):
    source = tmp_path / f"photo{suffix}"
    Image.fromarray(photo()).save(source)
    (target,) = run(weights, input=str(source))
    assert target.suffix == ".png" and Image.open(target).size == (160, 120)


def test_directory_and_glob_inputs_with_output_folder(tmp_path, weights):
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    out.mkdir()
    for i in range(2):
        Image.fromarray(photo(seed=i)).save(src / f"p{i}.png")
    (src / "notes.txt").write_text("not an image")
    assert sorted(p.name for p in run(weights, input=str(src), output=out)) == \
        ["p0_x4.png", "p1_x4.png"]
    assert len(run(weights, input=str(src / "p*.png"))) == 2
    # earlier outputs in the folder are not upscaled again, nor replaced without --overwrite
    with pytest.raises(GantoolError, match="p0_x4.png already exists.*--overwrite"):
        run(weights, input=str(src))
    assert len(run(weights, input=str(src), overwrite=True)) == 2
    assert files_in(src) == {"p0.png", "p1.png", "p0_x4.png", "p1_x4.png", "notes.txt"}


def test_folder_output_is_created(tmp_path, weights, rgb_png):
    (target,) = run(weights, input=str(rgb_png.parent), output=tmp_path / "new")
    assert target == tmp_path / "new" / "photo_x4.png" and target.is_file()


def test_a_single_output_is_written_as_its_name_says(tmp_path, weights, rgb_png):
    for name, format_ in (("out.png", "PNG"), ("out.jpg", "JPEG"), ("out.webp", "WEBP")):
        (target,) = run(weights, input=str(rgb_png), output=tmp_path / name)
        assert Image.open(target).format == format_ and Image.open(target).size == (160, 120)
    with pytest.raises(GantoolError, match="name it .png or .jpg or .jpeg or .webp"):
        run(weights, input=str(rgb_png), output=tmp_path / "out.tif")
    assert not (tmp_path / "out.tif").exists()


def test_format_names_the_default_outputs_and_jpeg_drops_alpha_with_a_notice(
        tmp_path, weights, capsys):
    rgba = np.dstack([photo(), np.zeros((30, 40), np.uint8)])
    rgba[:, 20:, 3] = 255
    source = tmp_path / "cut.png"
    Image.fromarray(rgba).save(source)
    (target,) = run(weights, input=str(source), format="jpg")
    assert target == tmp_path / "cut_x4.jpg" and Image.open(target).mode == "RGB"
    assert "JPEG keeps no transparency" in capsys.readouterr().err
    (target,) = run(weights, input=str(source), format="webp")
    assert target.suffix == ".webp" and Image.open(target).mode == "RGBA"


@pytest.mark.parametrize("self_ensemble", [False, True])
def test_tiled_and_whole_runs_agree(tmp_path, weights, rgb_png, self_ensemble):
    (whole,) = run(weights, input=str(rgb_png), output=tmp_path / "whole.png", tile=0,
                   self_ensemble=self_ensemble)
    (tiled,) = run(weights, input=str(rgb_png), output=tmp_path / "tiled.png", tile=8,
                   self_ensemble=self_ensemble)
    a, b = (np.asarray(Image.open(p)).astype(int) for p in (whole, tiled))
    assert np.abs(a - b).max() <= 1


def test_pixel_limit_names_the_option(weights, rgb_png):
    with pytest.raises(GantoolError, match="above the limit of 100.*--max-pixels"):
        run(weights, input=str(rgb_png), max_pixels=100)
    assert files_in(rgb_png.parent) == {"photo.png"}


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "text.png").write_text("hello, not an image")
    (folder / "empty.png").write_bytes(b"")
    Image.fromarray(photo(200, 200)).save(folder / "whole.png")
    data = (folder / "whole.png").read_bytes()
    (folder / "truncated.png").write_bytes(data[: len(data) // 2])
    return {
        "not an image": (folder / "text.png", "not an image"),
        "zero-size file": (folder / "empty.png", "not an image"),
        "truncated": (folder / "truncated.png", "truncated or corrupt"),
        "unreadable path": (folder / "missing.png", "not found"),
    }


@pytest.mark.parametrize("case", ["not an image", "zero-size file", "truncated",
                                  "unreadable path"])
def test_bad_inputs_fail_with_one_line_and_no_output(tmp_path, weights, case):
    source, message = _bad_inputs(tmp_path)[case]
    before = files_in(source.parent)
    with pytest.raises(GantoolError, match=message):
        run(weights, input=str(source))
    assert files_in(source.parent) == before


def test_zero_size_image_header_is_refused(tmp_path, weights):
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body))

    source = tmp_path / "zero.png"
    source.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 0, 5, 8, 2,
                                                                         0, 0, 0))
                       + chunk(b"IEND", b""))
    with pytest.raises(GantoolError, match="empty|not an image"):
        run(weights, input=str(source))


def test_missing_output_directory(tmp_path, weights, rgb_png):
    with pytest.raises(GantoolError, match="does not exist"):
        run(weights, input=str(rgb_png), output=tmp_path / "nowhere" / "x.png")


def test_corrupt_weights(tmp_path, rgb_png):
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(b"\x00" * 64)
    with pytest.raises(GantoolError, match="safetensors"):
        run(bad, input=str(rgb_png))
    assert files_in(rgb_png.parent) == {"photo.png"}


def test_weights_for_another_scale(tmp_path, rgb_png):
    x2 = write_weights(tmp_path / "x2.safetensors", Architecture(scale=2, blocks=1, channels=8))
    with pytest.raises(GantoolError, match="x2, not x4"):
        run(x2, input=str(rgb_png))
    (target,) = run(x2, input=str(rgb_png), scale=2)
    assert target.name == "photo_x2.png" and Image.open(target).size == (80, 60)


def test_cli_prints_one_error_line_and_exits_2(gantool, tmp_path, weights):
    one_line_error(gantool("run", "superres", "--input", tmp_path / "missing.png",
                           "--weights", weights), "not found")


def test_negative_options_are_refused_by_their_rules(weights, rgb_png):
    for key in ("tile", "max_pixels", "threads"):
        with pytest.raises(GantoolError, match=f"--{key.replace('_', '-')} must be at least 0"):
            run(weights, input=str(rgb_png), **{key: -1})
