"""Rewrite one marked section of the README: benchmark tables are written, never typed."""

from __future__ import annotations

import os
import platform
import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def hardware() -> str:
    """One line naming the machine the numbers were measured on."""
    import torch

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores, torch {torch.__version__}, "
            f"{torch.get_num_threads()} threads")


def shown(path: Path) -> str:
    """A path as a README shows it: relative to the repository root (where every bench
    command is run), so no machine's own folders end up in the docs."""
    return os.path.relpath(Path(path).resolve(), README.parent)


def write_section(name: str, body: str, readme: Path = README) -> None:
    """Replace the text between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`."""
    text = readme.read_text()
    tag = re.escape(name)
    pattern = re.compile(rf"(<!-- bench:{tag} -->\n).*?(<!-- /bench:{tag} -->)", re.DOTALL)
    if not pattern.search(text):
        raise SystemExit(f"README has no <!-- bench:{name} --> section")
    readme.write_text(pattern.sub(lambda m: m.group(1) + body.rstrip() + "\n" + m.group(2), text))
