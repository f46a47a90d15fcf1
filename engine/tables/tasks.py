"""The Tables tasks the GUI starts, importable without pandas or scikit-learn (~3 s): each imports
the heavy engine where it runs — a worker thread, or the TensorFlow worker process.

The table crosses to the TensorFlow worker once, not with every job: the worker holds the last
``HELD_TABLES`` tables by a key the window chose, and the mining, the depth lab and "keep the top k"
name the table by its key. It is sent in pieces (``table_pieces``) of at most ``PIECE_ROWS`` rows of text
cells: pickling is one C call that holds the interpreter lock, and a 200,000-row table pickled in one
message held the window still for a third of a second; piece by piece the window's thread gets the
lock between two pieces. A worker that has restarted (and so holds nothing) says ``TableNotHeld`` and
the table is sent again.
"""

from __future__ import annotations

import threading
from collections.abc import Generator, Iterator
from typing import Any

from engine.core.errors import DeepMineError
from engine.tables.settings import MineSettings

HELD_TABLES = 2  # the open table and the one before it (a restored project's)
PIECE_ROWS = 20_000  # rows of a text column per piece: ~1 ms of pickling on a busy core
PIECE_BYTES = 8_000_000  # bytes of numbers per piece (copied, not walked: fast)
CHANGES_PER_PIECE = 2_000


class TableNotHeld(DeepMineError):
    """The worker does not hold the table the job names (it restarted, or the table was dropped)."""


def open_table_task(path: Any, options: Any = None, example: str | None = None) -> Generator[Any, None, Any]:
    """``engine.tables.service.open_table_task``, imported where it runs (a worker thread)."""
    from engine.tables import service

    return (yield from service.open_table_task(path, options, example))


def mine_in_worker(table: Any, choice: Any, settings: MineSettings, profiles: Any = None) -> Generator[Any, None, Any]:
    """``engine.tables.mining.mine_task`` as the module-level function the TensorFlow worker runs."""
    from engine.tables.mining import mine_task

    return (yield from mine_task(table, choice, settings, profiles))


# --- the window's side -----------------------------------------------------------------------------
def with_held_table(job: Any, key: str, table: Any, *args: Any) -> Generator[Any, None, Any]:
    """``job(key, *args)`` in the TensorFlow worker, on the table held there under ``key``; the table is
    sent (in pieces) first if the worker does not hold it."""
    from engine.worker import in_worker

    try:
        return (yield from in_worker(job, key, *args))
    except TableNotHeld:
        pass
    for piece in table_pieces(table):
        yield from in_worker(receive_piece, key, piece)
    return (yield from in_worker(job, key, *args))


def table_pieces(table: Any) -> Iterator[tuple]:
    """The table as a sequence of small messages: its description, its changed cells, its columns in slices
    (each keeps its dtype: pandas' Arrow-backed text pickles as buffers, a slice as its own rows only)."""
    import numpy as np

    frame = table.frame
    state = {k: v for k, v in table.__dict__.items() if k not in ("frame", "changes")}
    yield ("begin", state, [str(c) for c in frame.columns])
    for start in range(0, len(table.changes), CHANGES_PER_PIECE):
        yield ("changes", table.changes[start:start + CHANGES_PER_PIECE])
    for column in frame.columns:
        values = frame[column]
        numbers = isinstance(values.dtype, np.dtype) and values.dtype.kind in "biufcmM"
        step = max(1, PIECE_BYTES // max(1, values.dtype.itemsize)) if numbers else PIECE_ROWS
        for start in range(0, max(1, len(values)), step):
            yield ("column", str(column), values.iloc[start:start + step])
    yield ("end",)


# --- the worker's side -------------------------------------------------------------------------------
_held: dict[str, Any] = {}  # key → Table, oldest first
_arriving: dict[str, dict[str, Any]] = {}
_held_lock = threading.Lock()


def receive_piece(key: str, piece: tuple) -> None:
    """In the worker: one piece of a table being sent; the last one makes it the held table ``key``."""
    kind = piece[0]
    with _held_lock:
        if kind == "begin":
            _arriving[key] = {"state": piece[1], "columns": piece[2], "changes": [], "parts": {c: [] for c in piece[2]}}
            return
        arriving = _arriving.get(key)
        if arriving is None:
            raise TableNotHeld("The table's first piece never arrived.")
        if kind == "changes":
            arriving["changes"].extend(piece[1])
        elif kind == "column":
            arriving["parts"][piece[1]].append(piece[2])
        elif kind == "end":
            del _arriving[key]
            _hold(key, _build_table(arriving))


def _build_table(arriving: dict[str, Any]) -> Any:
    import pandas as pd

    from engine.tables.table import Table

    columns = {c: pd.concat(parts) if len(parts) > 1 else parts[0] for c, parts in arriving["parts"].items()}
    frame = pd.DataFrame(columns, columns=arriving["columns"])
    table = Table.__new__(Table)
    table.__dict__.update(arriving["state"])
    table.frame, table.changes = frame, arriving["changes"]
    return table


def _hold(key: str, table: Any) -> None:
    _held.pop(key, None)
    _held[key] = table
    while len(_held) > HELD_TABLES:
        _held.pop(next(iter(_held)))


def held_table(key: str) -> Any:
    with _held_lock:
        table = _held.get(key)
    if table is None:
        raise TableNotHeld("The TensorFlow worker does not hold this table.")
    return table


def mine_held(key: str, choice: Any, settings: MineSettings, profiles: Any = None) -> Generator[Any, None, Any]:
    """In the worker: mine the held table ``key``."""
    from engine.tables.mining import mine_task

    return (yield from mine_task(held_table(key), choice, settings, profiles))


def depth_lab_held(key: str, result: Any, min_leaf: int | None = None) -> Generator[Any, None, Any]:
    """In the worker: the depth lab's curve for the held table ``key`` (``result`` may come without its models)."""
    from engine.tables.explain import depth_lab_task

    return (yield from depth_lab_task(held_table(key), result, min_leaf))


def top_k_held(key: str, result: Any, k: int) -> Generator[Any, None, Any]:
    """In the worker: "keep the top k features" cross-validated on the held table ``key``."""
    from engine.tables.explain import top_k_task

    return (yield from top_k_task(held_table(key), result, k))


def without_models(result: Any) -> Any:
    """The mining result without its fitted models: what the depth lab and top k need, small to send."""
    from dataclasses import replace

    return replace(result, models={})
