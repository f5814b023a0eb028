"""`gantool export`: a task's inference networks as files other runtimes load, checked.

A plugin only declares what to export: its task's `onnx="pkg.export:onnx_graphs"` takes the
`LoadedModel` and returns `OnnxGraph` records. The core does the rest the same way for every
task: the format and the weights are checked first, every output is planned before any work
(never the weights, never an existing file without `--overwrite`), each graph is compared with
PyTorch on ONNX Runtime, and the files are written only when all of them passed, atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gantool.errors import GantoolError
from gantool.outputs import check_output_folder, check_outputs

if TYPE_CHECKING:
    from torch import Tensor, nn

    from gantool.models import LoadedModel
    from gantool.onnx_export import Exported
    from gantool.registry import TaskSpec

FORMATS = ("onnx",)
Axes = Mapping[str, Mapping[int, str]]


@dataclass(frozen=True)
class OnnxGraph:
    """One graph to export, as a plugin declares it.

    `module` is the eval-mode network the graph must agree with (a small wrapper when the
    graph is more than one network, or one step of a loop). `samples` are input tuples: the
    first is traced, and all are compared, so give another batch size (and spatial size) to
    prove the dynamic axes. `dynamic_axes` maps input and output names to their variable axes;
    None makes axis 0 of each the batch axis. `graph` is a serialised ONNX model the plugin
    writes itself, exported as it is (checked against `module` all the same). `metadata` is
    stored in the model's metadata_props: what a user needs beside the tensors (class names, a
    vocabulary). The check allows `tolerance` times max(1, largest |output|).
    """

    name: str
    module: nn.Module
    samples: Sequence[tuple[Tensor, ...]]
    input_names: Sequence[str]
    output_names: Sequence[str]
    dynamic_axes: Axes | None = None
    graph: bytes | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)
    tolerance: float = 1e-4

    def axes(self) -> Axes:
        if self.dynamic_axes is not None:
            return self.dynamic_axes
        return {name: {0: "batch"} for name in [*self.input_names, *self.output_names]}


OnnxGraphs = Callable[["LoadedModel"], list[OnnxGraph]]


def uniform(*shape: int, low: float = 0.0, high: float = 1.0, seed: int = 0) -> Tensor:
    """A sample input with values spread over the network's input range, the same every run."""
    import torch

    generator = torch.Generator().manual_seed(seed)
    return torch.rand(*shape, generator=generator) * (high - low) + low


def normal(*shape: int, seed: int = 0) -> Tensor:
    """A sample of a generator's N(0, 1) noise, the same every run."""
    import torch

    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise GantoolError(f"unknown --format {fmt!r}; known: {', '.join(FORMATS)}")


def plan_paths(weights: Path, names: Sequence[str], output: Path | None,
               overwrite: bool) -> list[Path]:
    """One file per graph: `--output` (a file for one graph, a folder for several), else beside
    the weights as `model.onnx` or `model.NAME.onnx`; refused, before any work, where it would
    replace the weights or, without `--overwrite`, any existing file."""
    weights = Path(weights)
    several = len(names) > 1
    if several:
        folder = check_output_folder(output or weights.parent, f"this task exports "
                                     f"{len(names)} graphs ({', '.join(names)})")
        paths = [folder / f"{weights.stem}.{name}.onnx" for name in names]
    else:
        target = output or weights.with_suffix(".onnx")
        paths = [target / f"{weights.stem}.onnx" if target.is_dir() else target]
    check_outputs(paths, overwrite=overwrite, protected=[weights], new_folder=several)
    return paths


def onnx_function(spec: TaskSpec) -> OnnxGraphs:
    if spec.onnx is None:
        raise GantoolError(f"task {spec.name!r} declares no ONNX export (its plugin "
                           f"{spec.plugin!r} registers no `onnx=`)")
    from gantool.imports import import_object

    return import_object(spec.onnx)


def export_task(spec: TaskSpec, weights: Path, fmt: str, output: Path | None = None,
                overwrite: bool = False) -> list[Exported]:
    """`gantool export TASK`: every graph the task declares for `weights`, checked and
    written; every refusal is one GantoolError line."""
    check_format(fmt)
    declare = onnx_function(spec)
    from gantool.models import load_model
    from gantool.onnx_export import write_graphs

    model = load_model(weights, spec.name)
    graphs = declare(model)
    paths = plan_paths(Path(weights), [graph.name for graph in graphs], output, overwrite)
    return write_graphs(graphs, paths, {"task": spec.name, "weights": Path(weights).name})
