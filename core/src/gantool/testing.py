"""Helpers for a plugin's tests: the checks every task makes of the core's promises.

Third-party plugins use them as the first-party ones do, so "one line, exit 2, no traceback"
and "a damaged weights file" mean the same thing in every suite.
"""

from __future__ import annotations

from pathlib import Path

from gantool.metadata import read_metadata


def one_line_error(result: tuple[int, str, str], message: str, code: int = 2) -> str:
    """`result` is (exit code, stdout, stderr) of a command that must fail with `message` in
    one line `error: ...` on stderr (besides `warning:` lines) and no traceback; returns
    stderr, for checks of what it must not say."""
    exit_code, _, err = result
    assert exit_code == code, f"exit code {exit_code}, not {code}: {err}"
    assert "Traceback" not in err, err
    lines = [line for line in err.strip().splitlines() if not line.startswith("warning:")]
    assert len(lines) == 1, f"not one line: {err}"
    assert lines[0].startswith("error: "), f"not an error line: {err}"
    assert message in lines[0], f"{message!r} not in: {err}"
    return err


def damaged_weights(weights: Path, path: Path, *, drop_tensor: str | None = None,
                    drop_key: str | None = None, **metadata: str) -> Path:
    """A copy of exported `weights` at `path` without the tensors whose names start with
    `drop_tensor`, without the metadata key `drop_key`, and with `metadata` changed."""
    from safetensors.torch import load_file, save_file

    tensors = {k: v for k, v in load_file(str(weights)).items()
               if drop_tensor is None or not k.startswith(drop_tensor)}
    kept = {k: v for k, v in read_metadata(weights).items() if k != drop_key}
    save_file(tensors, str(path), metadata={**kept, **metadata})
    return Path(path)
