"""The run-time progress bar: shown on a terminal, silent elsewhere, items unchanged."""

import io

from rich.console import Console

from gantool.progress import tracked


def console(terminal: bool) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=terminal, width=80), out


def test_a_terminal_sees_a_bar_and_the_items_pass_through():
    terminal, out = console(True)
    assert list(tracked(iter(range(5)), 5, "tiles", terminal)) == [0, 1, 2, 3, 4]
    assert "tiles" in out.getvalue()


def test_pipes_and_single_items_stay_silent():
    pipe, out = console(False)
    assert list(tracked(range(5), 5, "tiles", pipe)) == list(range(5))
    terminal, terminal_out = console(True)
    assert list(tracked(["only"], 1, "tiles", terminal)) == ["only"]
    assert out.getvalue() == terminal_out.getvalue() == ""
