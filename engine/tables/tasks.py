"""The Tables tasks the GUI starts, importable without pandas or scikit-learn (~3 s): each imports
the heavy engine where it runs — a worker thread, or the TensorFlow worker process."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from engine.tables.settings import MineSettings


def open_table_task(path: Any, options: Any = None, example: str | None = None) -> Generator[Any, None, Any]:
    """``engine.tables.service.open_table_task``, imported where it runs (a worker thread)."""
    from engine.tables import service

    return (yield from service.open_table_task(path, options, example))


def mine_in_worker(table: Any, choice: Any, settings: MineSettings, profiles: Any = None) -> Generator[Any, None, Any]:
    """``engine.tables.mining.mine_task`` as the module-level function the TensorFlow worker runs."""
    from engine.tables.mining import mine_task

    return (yield from mine_task(table, choice, settings, profiles))
