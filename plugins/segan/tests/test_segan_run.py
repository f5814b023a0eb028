"""`gantool run segan` never loses data, and every unusable weights file is one line."""

import shutil
from pathlib import Path

import pytest
from PIL import Image

from gantool.testing import damaged_weights, one_line_error


@pytest.fixture
def scans(phantom: Path, tmp_path: Path) -> Path:
    """A folder of three phantom scans."""
    folder = tmp_path / "scans"
    folder.mkdir()
    for name in ("0000.png", "0001.png", "0002.png"):
        shutil.copy(phantom / "test" / "images" / name, folder / name)
    return folder


@pytest.mark.parametrize("over", ["input", "weights"])
def test_output_over_the_input_or_the_weights_is_refused(run_cli, weights, scans, tmp_path,
                                                         over):
    copy = shutil.copy(weights, tmp_path / "model.safetensors")
    output = scans / "0000.png" if over == "input" else copy
    before = output.read_bytes()
    one_line_error(run_cli("run", "segan", "--input", scans / "0000.png", "--weights", copy,
                           "--output", output), "is the file being read")
    assert output.read_bytes() == before
    assert sorted(p.name for p in scans.iterdir()) == ["0000.png", "0001.png", "0002.png"]


def test_existing_outputs_need_overwrite(run_cli, weights, scans):
    mask = scans / "0001_mask.png"
    mask.write_bytes(b"keep me")
    one_line_error(run_cli("run", "segan", "--input", scans, "--weights", weights),
                   "--overwrite")
    assert mask.read_bytes() == b"keep me" and not (scans / "0000_mask.png").exists()
    code, out, err = run_cli("run", "segan", "--input", scans, "--weights", weights,
                             "--overwrite")
    assert code == 0, err
    assert Image.open(mask).size == (64, 64) and out.count("wrote") == 6


def test_folder_with_a_corrupt_scan_segments_the_others(run_cli, weights, scans):
    (scans / "0001.png").write_bytes(b"\x89PNG\r\n\x1a\n truncated")
    code, out, err = run_cli("run", "segan", "--input", scans, "--weights", weights)
    assert code == 1
    assert "0001.png" in err and "Traceback" not in err
    for name in ("0000", "0002"):
        assert (scans / f"{name}_mask.png").is_file() and (scans / f"{name}_overlay.png").is_file()
        assert f"{name}_mask.png" in out
    assert not (scans / "0001_mask.png").exists() and not (scans / "0001_overlay.png").exists()


def test_several_inputs_go_into_an_output_folder_it_creates(run_cli, weights, scans, tmp_path):
    code, _, err = run_cli("run", "segan", "--input", scans, "--weights", weights,
                           "--output", tmp_path / "out")
    assert code == 0, err
    assert len(list((tmp_path / "out").glob("*_mask.png"))) == 3


@pytest.mark.parametrize("change, fragment", [
    ({"drop_tensor": "networks/S/unet.down.0.0.weight"}, "does not fit the segan network 'S'"),
    ({"drop_key": "classes"}, "lacks the metadata 'classes'"),
    ({"drop_key": "channels"}, "lacks the metadata 'channels'"),
])
def test_unusable_weights_are_one_line(run_cli, weights, scans, tmp_path, change, fragment):
    bad = damaged_weights(weights, tmp_path / "bad.safetensors", **change)
    one_line_error(run_cli("run", "segan", "--input", scans, "--weights", bad), fragment)
    assert not list(scans.glob("*_mask.png"))
