"""Every first-party plugin of tasks has the layout the plugin guide describes (a plugin of
training-event hooks only, such as tensorboard, is its `plugin.py`), and every registration
and option module imports no torch (so `gantool tasks` and `--help` stay fast)."""

import subprocess
import sys
from pathlib import Path

import pytest

PLUGINS = sorted((Path(__file__).resolve().parents[1] / "plugins").glob("*/src/gantool_*"))
TASK_PLUGINS = [p for p in PLUGINS
                if "def gantool_register_tasks" in (p / "plugin.py").read_text()]
LAYOUT = ("plugin.py", "config.py", "models.py", "evaluation.py", "inference.py", "smoke.py")


@pytest.mark.parametrize("package", TASK_PLUGINS, ids=lambda p: p.name)
def test_the_plugin_has_the_guides_layout(package):
    missing = [name for name in LAYOUT if not (package / name).is_file()]
    assert not missing, f"{package.name} lacks {missing} (docs/plugin-guide.md)"
    assert not (package / "task.py").exists()


@pytest.mark.parametrize("package", PLUGINS, ids=lambda p: p.name)
def test_registration_and_options_import_no_torch(package):
    modules = [f"{package.name}.{m}" for m in ("plugin", "config")
               if (package / f"{m}.py").is_file()]
    code = (f"import sys, {', '.join(modules)}\n"
            "print('TORCH' if 'torch' in sys.modules else 'NO-TORCH')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "NO-TORCH"
