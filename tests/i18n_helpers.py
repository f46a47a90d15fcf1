"""Find every message id the engine shows a person: literal first arguments of ``t()``,
``N_()`` and the ``DeepMineError`` family. Used by the catalogue test and by
``scripts/update_engine_catalogue.py``."""

from __future__ import annotations

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parent.parent / "engine"
ERROR_CLASSES = {"DeepMineError", "DataError", "InputError", "CacheError", "DownloadError", "Cancelled"}
MARKERS = {"t", "N_"} | ERROR_CLASSES


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def engine_msgids(root: Path = ENGINE) -> dict[str, str]:
    """msgid → "file:line" of its first use."""
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) in MARKERS and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.setdefault(arg.value, f"{path.relative_to(root.parent)}:{node.lineno}")
    return found
