"""A table as the app holds it: typed columns, where it came from, and every cell the reading changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

NUMBER, TEXT, DATE = "number", "text", "date"
MAX_KEPT_CHANGES = 100_000  # cells listed one by one; beyond, the per-column counts stay exact


@dataclass(frozen=True)
class CellChange:
    """One cell the reading did not take as written: where, what it held, what it became, why."""

    line: int
    column: str
    value: str
    result: str  # the value used ("" = missing)
    reason: str  # already translated when read


@dataclass
class Table:
    """Columns are float64 (numbers), object (text, ``None`` for missing) or datetime64 (dates)."""

    name: str
    frame: pd.DataFrame
    kinds: dict[str, str]
    source: dict[str, Any] = field(default_factory=dict)  # path, format, encoding, delimiter, decimal
    changes: list[CellChange] = field(default_factory=list)
    change_counts: dict[str, int] = field(default_factory=dict)  # "column\treason" → cells
    line_label: str = "line"  # "line" (text files) or "row" (spreadsheets, Parquet)
    lines: np.ndarray | None = None  # the file line of each row; None = row i is at first_line + i
    first_line: int = 2
    notes: list[str] = field(default_factory=list)  # e.g. the B-column note of Boston

    def __getstate__(self) -> dict[str, Any]:
        """Pickled column by column (the table crosses to the TensorFlow worker to be mined). The window's
        other threads get the interpreter between two columns; a frame pickled whole copies its 40 MB
        block of numbers in one go and holds the window still for a tenth of a second or more."""
        state = dict(self.__dict__)
        frame = state.pop("frame")
        state["frame_columns"] = [(c, frame[c]) for c in frame.columns]
        state["frame_index"] = frame.index
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        columns, index = state.pop("frame_columns"), state.pop("frame_index")
        state["frame"] = pd.DataFrame(dict(columns), index=index, columns=[c for c, _ in columns])
        self.__dict__.update(state)

    @property
    def rows(self) -> int:
        return len(self.frame)

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.frame.columns]

    def line_of(self, row: int) -> int:
        """The line (or spreadsheet row) a person finds row ``row`` (0-based) on."""
        if self.lines is not None and row < len(self.lines):
            return int(self.lines[row])
        return self.first_line + int(row)

    @property
    def changed_cells(self) -> int:
        return sum(self.change_counts.values())

    def change_summary(self) -> list[tuple[str, str, int]]:
        """(column, reason, cells) for every kind of change, exact even past ``MAX_KEPT_CHANGES``."""
        out = []
        for key, n in self.change_counts.items():
            column, reason = key.split("\t", 1)
            out.append((column, reason, n))
        return out


def add_change(table_changes: list[CellChange], counts: dict[str, int], change: CellChange) -> None:
    counts[f"{change.column}\t{change.reason}"] = counts.get(f"{change.column}\t{change.reason}", 0) + 1
    if len(table_changes) < MAX_KEPT_CHANGES:
        table_changes.append(change)
