"""Rewrite one marked section of the docs: benchmark tables are written, never typed."""

from __future__ import annotations

import os
import platform
import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
RESULTS = README.parent / "docs" / "results.md"
DOCUMENTS = (README, RESULTS)
"""Where bench sections live: the front page's summary, and the full results."""


def machine() -> dict:
    """The machine numbers are measured on, as the results records store it (bench/results.py):
    a record measured elsewhere is told apart by its cpu and gpu."""
    import torch

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
    return {"cpu": cpu, "cores": os.cpu_count(), "threads": torch.get_num_threads(), "gpu": gpu,
            "torch": torch.__version__}


def hardware(measured: dict | None = None) -> str:
    """One line naming a machine: `measured` (a record's hardware), else this one."""
    m = measured or machine()
    line = f"{m['cpu']}, {m['cores']} cores, torch {m['torch']}, {m['threads']} threads"
    return line + (f", GPU {m['gpu']}" if m["gpu"] else "")


def relative(path: Path) -> str:
    """A path relative to the repository root, where every bench command is run: how records
    name the data they measured, the same on every machine with the same layout."""
    return os.path.relpath(Path(path).resolve(), README.parent)


def shown(path: Path) -> str:
    """A path as the docs show it: inside the repository, relative to its root; outside it (a
    data folder the reader keeps wherever they like), as `DATA/` and the path below the data
    folder, so no machine's own folders end up in the docs."""
    resolved = Path(path).resolve()
    if resolved.is_relative_to(README.parent):
        return relative(resolved)
    parts = resolved.parts
    below = [i for i, part in enumerate(parts) if part == "data"]
    return "/".join(["DATA", *parts[below[-1] + 1:]]) if below else f"DATA/{resolved.name}"


def write_section(name: str, body: str, documents: tuple[Path, ...] = DOCUMENTS) -> None:
    """Replace the text between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->` in the
    document that holds that section; links written relative to the repository root are
    made relative to that document's folder."""
    tag = re.escape(name)
    pattern = re.compile(rf"(<!-- bench:{tag} -->\n).*?(<!-- /bench:{tag} -->)", re.DOTALL)
    for document in documents:
        text = document.read_text()
        if pattern.search(text):
            section = _relinked(body, document.parent).rstrip() + "\n"
            document.write_text(pattern.sub(lambda m, new=section: m.group(1) + new + m.group(2),
                                            text))
            return
    raise SystemExit(f"no document has a <!-- bench:{name} --> section")


def _relinked(body: str, folder: Path) -> str:
    """Markdown link targets relative to the repository root, made relative to `folder`."""
    def relative(match: re.Match) -> str:
        return f"]({os.path.relpath(README.parent / match.group(1), folder)})"

    return re.sub(r"\]\((?!https?:|#|/|\.\./)([^)\s]+)\)", relative, body)
