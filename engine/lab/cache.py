"""Finished guided experiments, one JSON file each in ``<data home>/lab``: a rerun with the same
settings is instant. The key hashes the data fingerprint, the experiment, its settings and the
library versions (``engine.core.cache.make_key``). A damaged file reads as a miss and is
overwritten by the next run: never a crash, never unpickled."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from engine.core.atomic import atomic_write_text
from engine.core.cache import make_key

log = logging.getLogger(__name__)
KIND = "lab-experiment"
FORMAT = 1


def experiment_key(experiment: str, data_fingerprint: str, settings: dict[str, Any]) -> str:
    return make_key(KIND, data_fingerprint, {"experiment": experiment, "settings": settings, "format": FORMAT})


class ExperimentCache:
    """Reads and writes experiment results as plain dicts; ``root`` defaults to ``data_home() / "lab"``."""

    def __init__(self, root: str | Path | None = None) -> None:
        if root is None:
            from engine.core.paths import data_home

            root = data_home() / "lab"
        self.root = Path(root)

    def path(self, key: str) -> Path:
        return self.root / f"experiment-{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        path = self.path(key)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("format") != FORMAT or raw.get("key") != key or not isinstance(raw.get("result"), dict):
                raise ValueError("another format or key")
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            log.warning("ignoring damaged lab cache file %s: %s", path, exc)
            return None
        return raw["result"]

    def put(self, key: str, result: dict[str, Any]) -> bool:
        """Store atomically; False (and a log line) when the data dir is not writable."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            atomic_write_text(self.path(key), json.dumps({"format": FORMAT, "key": key, "result": result},
                                                         sort_keys=True, allow_nan=False))
        except (OSError, ValueError) as exc:
            log.warning("could not store a lab experiment in %s: %s", self.root, exc)
            return False
        return True

    def keys(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.stem[len("experiment-"):] for p in self.root.glob("experiment-*.json"))
