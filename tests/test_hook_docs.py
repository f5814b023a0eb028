"""The plugin guide's hook reference is the one `hookspecs.py` declares."""

from pathlib import Path

from gantool import hookdocs, hookspecs

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "plugin-guide.md"


def test_the_guide_holds_the_current_hook_reference():
    assert hookdocs.reference() in GUIDE.read_text(), (
        f"regenerate it: uv run python -m gantool.hookdocs {GUIDE.relative_to(Path.cwd())}")


def test_the_reference_names_every_hook_with_its_typed_parameters():
    text = hookdocs.reference()
    hooks = [name for name in vars(hookspecs) if name.startswith("gantool_")]
    assert len(hooks) == 10
    for name in hooks:
        assert f"#### `{name}(" in text
    assert "run: RunInfo, step: int, logs: dict[str, float]" in text
