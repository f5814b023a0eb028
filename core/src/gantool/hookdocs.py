"""The plugin guide's hook reference, written from `hookspecs.py`, where the hooks are
declared, typed and documented, so the guide cannot drift from the contract.

`python -m gantool.hookdocs docs/plugin-guide.md` rewrites the part of the guide between the
markers; a test fails when the guide is out of date.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

from gantool import hookspecs

START = "<!-- hook reference: written by `python -m gantool.hookdocs`; do not edit -->"
END = "<!-- end of hook reference -->"
GROUPS = {"gantool_register_": "Registration", "gantool_": "Training events"}


def _signature(function: object) -> str:
    params = inspect.signature(function).parameters.values()  # type: ignore[arg-type]
    return ", ".join(f"{p.name}: {p.annotation}" for p in params)


def reference() -> str:
    """Markdown: one entry per hook, grouped, in declaration order."""
    hooks = [(name, fn) for name, fn in vars(hookspecs).items()
             if name.startswith("gantool_") and inspect.isfunction(fn)]
    lines = [START]
    for prefix, title in GROUPS.items():
        group = [(n, f) for n, f in hooks if n.startswith(prefix)
                 and (prefix != "gantool_" or not n.startswith("gantool_register_"))]
        lines += ["", f"### {title}"]
        for name, function in group:
            doc = inspect.cleandoc(function.__doc__ or "")
            lines += ["", f"#### `{name}({_signature(function)})`", "", doc]
    lines += ["", END]
    return "\n".join(lines)


def rewrite(guide: Path) -> bool:
    """Put the current reference between the markers; True when the file changed."""
    text = guide.read_text()
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    updated = head + reference() + tail
    if updated != text:
        guide.write_text(updated)
    return updated != text


if __name__ == "__main__":
    changed = rewrite(Path(sys.argv[1]))
    print(f"{sys.argv[1]}: {'rewritten' if changed else 'up to date'}")
