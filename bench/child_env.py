"""The environment timed commands run in: that of an ordinary install.

An installed package's modules are compiled to bytecode on their first import and the bytecode
is kept, so later starts skip compiling. Some environments (this one included) set
PYTHONDONTWRITEBYTECODE, under which every timed start would compile the sources again; timed
children get a private bytecode cache instead.
"""

from __future__ import annotations

import os
from pathlib import Path


def installed_env(folder: Path) -> dict[str, str]:
    """os.environ with bytecode written to, and read from, `folder`."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "pycache")
    return env
