"""The `kjv` recipe with a stand-in for Debian's `bible` program, and without it."""

import json
import os
import stat

from gantool.testing import one_line_error

FAKE_BIBLE = """#!/bin/sh
printf '\\nGenesis 1\\n\\n'
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
  printf '  %s Verse number %s of the test.\\n' "$i" "$i"
done
"""


def fake_path(folder, script):
    folder.mkdir()
    program = folder / "bible"
    program.write_text(script)
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    return f"{folder}{os.pathsep}{os.environ['PATH']}"


def test_kjv_keeps_verse_text_and_holds_out_a_tenth(run_cli, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", fake_path(tmp_path / "bin", FAKE_BIBLE))
    code, out, err = run_cli("data", "build", "kjv", "--out", tmp_path / "kjv", "--seed", "3")
    assert code == 0, err
    train = (tmp_path / "kjv" / "train" / "kjv.txt").read_text().splitlines()
    reference = (tmp_path / "kjv" / "reference" / "kjv.txt").read_text().splitlines()
    assert len(train) == 18 and len(reference) == 2
    assert not set(train) & set(reference)
    assert all(line.startswith("Verse number") for line in train + reference)
    assert json.loads((tmp_path / "kjv" / "split.json").read_text())["verses"] == 20


def test_kjv_without_the_bible_program_is_one_line(run_cli, monkeypatch, tmp_path):
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    one_line_error(run_cli("data", "build", "kjv", "--out", tmp_path / "kjv"),
                   "apt-get install bible-kjv")
    assert not (tmp_path / "kjv").exists()
