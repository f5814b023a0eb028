"""Resolve "package.module:attribute" strings, so registrations stay metadata until used."""

from __future__ import annotations

import importlib
from typing import Any


def import_object(path: str) -> Any:
    """Import `module:attr` (attr may be dotted) and return the object."""
    module_name, _, attr = path.partition(":")
    if not module_name or not attr:
        raise ValueError(f"import path {path!r} must look like 'package.module:attribute'")
    obj: Any = importlib.import_module(module_name)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj
