"""Outputs are planned before any work: nothing read is written over, nothing existing is
replaced unasked, and a folder with bad files processes the good ones."""

import pytest

from gantool.errors import GantoolError
from gantool.outputs import SomeInputsFailed, check_outputs, each_input, plan_outputs


@pytest.fixture
def photos(tmp_path):
    files = [tmp_path / "a.png", tmp_path / "b.png"]
    for path in files:
        path.write_bytes(b"image")
    return files


def test_a_single_input_gets_its_output_beside_it_or_in_a_named_folder(photos, tmp_path):
    (beside,) = plan_outputs(photos[:1], single=True, output=None, name="{stem}_x4.png",
                             folder="x4")
    assert beside == tmp_path / "a_x4.png"
    (inside,) = plan_outputs(photos[:1], single=True, output=tmp_path, name="{stem}_x4.png",
                             folder="x4")
    assert inside == tmp_path / "a_x4.png"


def test_a_missing_output_folder_for_one_input_is_named_as_such(photos, tmp_path):
    with pytest.raises(GantoolError, match="not an existing directory, nor a file name"):
        plan_outputs(photos[:1], single=True, output=tmp_path / "new", name="{stem}_x4.png",
                     folder="x4")
    assert not (tmp_path / "new").exists()


def test_a_folder_of_inputs_goes_to_one_output_folder(photos, tmp_path):
    outputs = plan_outputs(photos, single=False, output=None, name="{stem}_x4.png", folder="x4")
    assert outputs == [tmp_path / "x4" / "a_x4.png", tmp_path / "x4" / "b_x4.png"]
    with pytest.raises(GantoolError, match="names a file|looks like a file"):
        plan_outputs(photos, single=False, output=tmp_path / "out.png", name="{stem}.png",
                     folder="x")


def test_an_input_or_the_weights_are_never_written_over_even_with_overwrite(photos, tmp_path):
    weights = tmp_path / "model.safetensors"
    weights.write_bytes(b"w")
    for target in (photos[0], weights):
        with pytest.raises(GantoolError, match="is the file being read"):
            plan_outputs(photos[:1], single=True, output=target, name="{stem}.png", folder="x",
                         overwrite=True, protected=[weights])


def test_an_existing_output_needs_overwrite(photos, tmp_path):
    existing = tmp_path / "a_x4.png"
    existing.write_bytes(b"old")
    with pytest.raises(GantoolError, match="already exists; pass --overwrite"):
        plan_outputs(photos[:1], single=True, output=None, name="{stem}_x4.png", folder="x")
    assert plan_outputs(photos[:1], single=True, output=None, name="{stem}_x4.png",
                        folder="x", overwrite=True) == [existing]


def test_two_inputs_with_one_name_and_missing_folders_are_refused(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    files = [tmp_path / "one" / "a.png", tmp_path / "two" / "a.png"]
    with pytest.raises(GantoolError, match="both be written"):
        plan_outputs(files, single=False, output=tmp_path / "out", name="{stem}.png",
                     folder="x")
    with pytest.raises(GantoolError, match="does not exist"):
        plan_outputs(files[:1], single=True, output=tmp_path / "no" / "a.png",
                     name="{stem}.png", folder="x")
    with pytest.raises(GantoolError, match="is a directory"):
        check_outputs([tmp_path / "one"])


def test_each_input_processes_the_good_files_and_lists_the_bad(photos, capsys):
    def process(path):
        if path.name == "a.png":
            raise GantoolError("is truncated")
        return path.with_suffix(".out")

    with pytest.raises(SomeInputsFailed, match="1 of 2 inputs failed") as caught:
        each_input(photos, process)
    assert caught.value.done == [photos[1].with_suffix(".out")]
    assert caught.value.exit_code == 1
    assert "a.png: is truncated" in capsys.readouterr().err
    with pytest.raises(GantoolError, match="is truncated"):  # a lone input: its own error
        each_input(photos[:1], process)
