"""Every hook in the contract is documented in the plugin guide."""

import inspect
from pathlib import Path

from gantool import hookspecs

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "plugin-guide.md"


def test_every_hook_is_in_the_plugin_guide():
    hooks = [name for name, _ in inspect.getmembers(hookspecs, inspect.isfunction)
             if name.startswith("gantool_")]
    assert len(hooks) >= 10
    text = GUIDE.read_text()
    missing = [name for name in hooks if f"`{name}(" not in text]
    assert not missing, f"document these hooks in {GUIDE.name}: {missing}"
