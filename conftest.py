"""Fixtures every test folder shares (core, cross-package and plugin tests)."""

import sys

import pytest

from gantool import cli, plugins


@pytest.fixture
def run_cli(capsys, monkeypatch):
    """Run `gantool ARGS` in this process through the real entry point; return (code, out, err).

    The plugin manager is rebuilt for each call and dropped afterwards, so a test that swaps the
    installed plugins leaves no trace in the tests after it."""

    def invoke(*args: str) -> tuple[int, str, str]:
        plugins.get_plugins.cache_clear()
        monkeypatch.setattr(sys, "argv", ["gantool", *map(str, args)])
        code = 0
        try:
            cli.main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    yield invoke
    plugins.get_plugins.cache_clear()
