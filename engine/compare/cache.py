"""Per-cell cache: one small JSON file per finished cell in ``<data home>/compare``.

Re-running a comparison is then instant, and a cancelled run keeps every cell it finished.
The key hashes the data fingerprint, the model, the size, the seed, the cell's hyper-parameters
and the library versions (``engine.core.cache.make_key``). A damaged file reads as a miss and
is overwritten by the recomputed cell: never a crash.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from engine.compare.results import CompareCell
from engine.core.atomic import atomic_write_text
from engine.core.cache import make_key

log = logging.getLogger(__name__)
KIND = "compare-cell"
FORMAT = 1


def cell_key(task: str, model: str, size: int, data_fingerprint: str, params: dict[str, Any]) -> str:
    """The cache key of one cell (library versions are added by ``make_key``)."""
    return make_key(KIND, data_fingerprint, {"task": task, "model": model, "size": size, "params": params,
                                             "cell_format": FORMAT})


class CellCache:
    """Reads and writes finished cells; ``root`` defaults to ``data_home() / "compare"``."""

    def __init__(self, root: str | Path | None = None) -> None:
        if root is None:
            from engine.core.paths import data_home

            root = data_home() / "compare"
        self.root = Path(root)

    def path(self, key: str) -> Path:
        return self.root / f"cell-{key}.json"

    def get(self, key: str) -> CompareCell | None:
        """The stored cell, or None when absent or unreadable (then it is simply recomputed)."""
        path = self.path(key)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("format") != FORMAT or raw.get("key") != key:
                raise ValueError("another format or key")
            cell = CompareCell.from_dict(raw["cell"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            log.warning("ignoring damaged comparison cache file %s: %s", path, exc)
            return None
        cell.key, cell.cached = key, True
        return cell

    def put(self, cell: CompareCell) -> bool:
        """Store atomically; False (and a log line) when the data dir is not writable."""
        record = {"format": FORMAT, "key": cell.key, "cell": cell.to_dict() | {"cached": False}}
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            atomic_write_text(self.path(cell.key), json.dumps(record, indent=1, sort_keys=True))
        except OSError as exc:
            log.warning("could not store a comparison cell in %s: %s", self.root, exc)
            return False
        return True

    def keys(self) -> list[str]:
        """Keys of the stored cells (any state), for tests and housekeeping."""
        if not self.root.is_dir():
            return []
        return sorted(p.stem[len("cell-"):] for p in self.root.glob("cell-*.json"))

    def clear(self) -> int:
        """Remove every stored cell; returns how many."""
        removed = 0
        for key in self.keys():
            try:
                self.path(key).unlink()
                removed += 1
            except OSError:
                pass
        return removed
