"""Helpers for a plugin's tests: the checks every task makes of the core's promises.

Third-party plugins use them as the first-party ones do, so "one line, exit 2, no traceback"
and "a damaged weights file" mean the same thing in every suite.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def onnx_difference(graph: Path, forward: Callable[..., Any], *inputs: Any) -> float:
    """The largest |ONNX Runtime - PyTorch| over every output of the ONNX file `graph` and
    `forward` (an eval-mode network, or a function of networks) on `inputs` (tensors, in the
    graph's input order): a test's own check of an exported graph, at other sizes than the
    exporter's samples."""
    import numpy as np
    import onnxruntime as ort
    import torch

    session = ort.InferenceSession(str(graph), providers=["CPUExecutionProvider"])
    feeds = {arg.name: x.numpy() for arg, x in zip(session.get_inputs(), inputs, strict=True)}
    with torch.no_grad():
        want = forward(*inputs)
    want = want if isinstance(want, tuple | list) else (want,)
    got = session.run(None, feeds)
    assert [g.shape for g in got] == [tuple(w.shape) for w in want]
    return max(float(np.abs(g - w.float().numpy()).max()) for g, w in zip(got, want, strict=True))


def onnx_metadata(graph: Path) -> dict[str, str]:
    """The metadata_props of an exported ONNX file, as ONNX Runtime reads them."""
    import onnxruntime as ort

    session = ort.InferenceSession(str(graph), providers=["CPUExecutionProvider"])
    return dict(session.get_modelmeta().custom_metadata_map)


def smoke_weights(task: str, folder: Path) -> Path:
    """The model.safetensors of `task`'s registered smoke run (a few seconds on the CPU, on
    data it writes into `folder`): a real exported model for tests of what reads one."""
    from gantool.config import build
    from gantool.imports import import_object
    from gantool.plugins import get_plugins
    from gantool.train import train

    spec = get_plugins().tasks.get(task)
    if spec.smoke is None:
        raise ValueError(f"task {task!r} declares no smoke run")
    options = import_object(spec.smoke)(folder / "data")
    config = build(spec.verb("train").options_class(), options,
                   {"device": "cpu", "num_workers": 0, "checkpoint_every": 0})
    train(lambda: spec.verb("train").load()(config), config, folder / "run", task=task,
          quiet=True)
    return folder / "run" / "model.safetensors"


def write_idx(folder: Path, prefix: str, images: Any, labels: Any) -> None:
    """MNIST's idx format (big-endian magic, sizes, then the raw bytes) for `prefix`
    'train' or 't10k': uint8 images N x H x W and labels N."""
    import struct

    import numpy as np

    folder.mkdir(parents=True, exist_ok=True)
    n, rows, cols = images.shape
    (folder / f"{prefix}-images-idx3-ubyte").write_bytes(
        struct.pack(">IIII", 2051, n, rows, cols) + np.asarray(images, np.uint8).tobytes())
    (folder / f"{prefix}-labels-idx1-ubyte").write_bytes(
        struct.pack(">II", 2049, n) + np.asarray(labels, np.uint8).tobytes())

