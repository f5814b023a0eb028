"""The run pipeline keeps the core's promises for any task that declares a run: outputs planned
and checked before the model loads, one load, all of an input's files or none, a folder's bad
files listed at the end with the good ones written, tables written to `--output`."""

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from gantool.errors import GantoolError
from gantool.outputs import SomeInputsFailed
from gantool.predictions import table
from gantool.run import PNG, TEXT, Format, Inputs, Output, Run


@dataclass
class Options:
    input: str = ""
    output: Path | None = None
    weights: Path | None = None
    overwrite: bool = False
    tag: str = "x"


class Loads:
    """A `load` that counts its calls and returns the weights' text as the model."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, weights: Path, options: Options) -> str:
        self.calls += 1
        return weights.read_text()


def grey(model: str, path: Path, options: Options) -> np.ndarray:
    """A 'prediction' that reads the image, so a broken file fails here."""
    return np.asarray(Image.open(path).convert("L"))


def both(model: str, path: Path, options: Options) -> dict[str, object]:
    pixels = grey(model, path, options)
    return {"mask": pixels, "note": [model, path.name]}


TWO = (Output("mask", "{stem}_{tag}.png"), Output("note", "{stem}_note.txt", TEXT))


@pytest.fixture
def weights(tmp_path: Path) -> Path:
    path = tmp_path / "model.safetensors"
    path.write_text("weights")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    images = tmp_path / "images"
    images.mkdir()
    for name in ("a", "b"):
        Image.new("RGB", (4, 3), "red").save(images / f"{name}.png")
    return images


def test_a_folder_gets_every_output_and_earlier_outputs_are_not_read(folder, weights):
    loads = Loads()
    run = Run("t", both, outputs=TWO, load=loads)
    written = run(Options(input=str(folder), weights=weights))
    assert [p.name for p in written] == ["a_x.png", "a_note.txt", "b_x.png", "b_note.txt"]
    assert loads.calls == 1 and (folder / "a_note.txt").read_text() == "weights\na.png\n"
    again = run(Options(input=str(folder), weights=weights, overwrite=True))
    assert again == written  # a_x.png is not an input of the second run


def test_several_inputs_go_into_the_folder_the_run_names(folder, weights):
    run = Run("t", grey, outputs=(Output("grey", "{stem}.png"),), folder="grey_{tag}",
              load=Loads())
    written = run(Options(input=str(folder), weights=weights, tag="v1"))
    assert written == [folder / "grey_v1" / "a.png", folder / "grey_v1" / "b.png"]


def test_a_bad_file_is_listed_and_the_others_written(folder, weights, capsys):
    (folder / "broken.png").write_bytes(b"\x89PNG not really")
    run = Run("t", both, outputs=TWO, load=Loads())
    with pytest.raises(SomeInputsFailed, match="1 of 3 inputs failed") as caught:
        run(Options(input=str(folder), weights=weights))
    assert [p.name for p in caught.value.done] == ["a_x.png", "a_note.txt", "b_x.png",
                                                    "b_note.txt"]
    assert "broken.png" in capsys.readouterr().err
    assert not list(folder.glob("broken_*"))


def test_one_input_named_by_output_puts_the_others_beside_it(folder, weights, tmp_path):
    run = Run("t", both, outputs=TWO, load=Loads())
    written = run(Options(input=str(folder / "a.png"), weights=weights,
                          output=tmp_path / "m.png"))
    assert written == [tmp_path / "m.png", tmp_path / "m_note.txt"]
    with pytest.raises(GantoolError, match="the mask is written as PNG; name it .png"):
        run(Options(input=str(folder / "a.png"), weights=weights, output=tmp_path / "m.jpg"))


@pytest.mark.parametrize("over", ["input", "weights", "existing"])
def test_nothing_read_or_existing_is_written_over_and_the_model_is_not_loaded(
        folder, weights, over):
    loads = Loads()
    existing = folder / "a_x.png"
    existing.write_bytes(b"keep me")
    output = {"input": folder / "b.png", "weights": weights, "existing": existing}[over]
    before = output.read_bytes()
    run = Run("t", both, outputs=TWO, load=loads)
    with pytest.raises(GantoolError, match="is the file being read|already exists"):
        run(Options(input=str(folder / "b.png" if over == "input" else folder / "a.png"),
                    weights=weights, output=output, overwrite=over != "existing"))
    assert output.read_bytes() == before and loads.calls == 0


def test_an_input_gets_all_its_files_or_none(folder, weights):
    def fail(value: object, path: Path) -> None:
        raise GantoolError("disk says no")

    run = Run("t", both, outputs=(TWO[0], Output("note", "{stem}.bad", Format("bad", None,
                                                                                fail))),
              load=Loads())
    with pytest.raises(GantoolError, match="disk says no"):
        run(Options(input=str(folder / "a.png"), weights=weights))
    assert sorted(p.name for p in folder.iterdir()) == ["a.png", "b.png"]


def classes(model: str, read: list[tuple[Path, np.ndarray]], options: Options):
    import torch

    probabilities = torch.tensor([[0.25, 0.75]] * len(read))
    return table("t", [path for path, _ in read], ["no", "yes"], probabilities)


def test_a_table_only_run_writes_its_rows_to_output(folder, weights, tmp_path):
    run = Run("t", grey, inputs=Inputs((".png",), recursive=True), table=classes,
              load=Loads())
    report = tmp_path / "rows.json"
    shown, written = run(Options(input=str(folder), weights=weights, output=report))
    assert written == report and len(shown.rows) == 2
    assert json.loads(report.read_text())[0] == {"file": str(folder / "a.png"), "class": "yes",
                                                 "probability": 0.75}
    with pytest.raises(GantoolError, match="must end in .json or .csv"):
        run(Options(input=str(folder), weights=weights, output=tmp_path / "rows.txt"))


def test_a_run_without_inputs_writes_beside_the_weights_and_never_over_them(weights):
    run = Run("t", lambda model, given, options: [model, str(given)], inputs=None,
              outputs=(Output("samples", "samples.txt", TEXT),), load=Loads())
    (written,) = run(Options(weights=weights))
    assert written == weights.with_name("samples.txt")
    assert written.read_text() == "weights\nNone\n"
    with pytest.raises(GantoolError, match="is the file being read"):
        run(Options(weights=weights, output=weights, overwrite=True))


def test_a_run_without_inputs_on_the_shipped_model_only_shows_its_table(weights, tmp_path):
    from gantool.report import Table

    run = Run("t", lambda model, given, options: [model], inputs=None,
              outputs=(Output("samples", "samples.txt", TEXT),), load=Loads(),
              shipped=lambda options: weights,
              table=lambda model, done, options: Table("samples", ["sample"],
                                                       [[done[0][1][0]]]))
    (shown,) = run(Options())
    assert shown.rows == [["weights"]]
    assert not weights.with_name("samples.txt").exists()  # nothing written into the package
    written, _ = run(Options(output=tmp_path / "mine.txt"))
    assert written == tmp_path / "mine.txt" and written.read_text() == "weights\n"


def test_the_options_may_choose_the_shipped_weights(folder, weights):
    run = Run("t", grey, outputs=(Output("grey", "{stem}_{tag}.png", PNG),), load=Loads(),
              shipped=lambda options: weights)
    assert run(Options(input=str(folder / "a.png"))) == [folder / "a_x.png"]
