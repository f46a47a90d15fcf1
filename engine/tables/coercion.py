"""From cells as written to typed columns, every change listed.

A column is numbers when nearly all its filled cells are numbers (``NUMBER_SHARE``); its other
cells become missing, each listed with its line and why. Numbers use one decimal mark for the
whole file (detected or given); a cell written with the other mark is read correctly and listed.
Dates are recognised by one format per column. Text keeps its value (surrounding spaces removed,
listed). Nothing is changed without a ``CellChange``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from engine.core.i18n import t
from engine.tables.table import DATE, MAX_KEPT_CHANGES, NUMBER, TEXT, CellChange

NUMBER_SHARE = 0.9
DATE_SHARE = 0.95
DATE_SAMPLE = 500
MISSING_MARKERS = ("NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "None", "#N/A", "?", "-", "--")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S",
                "%d.%m.%Y", "%d/%m/%Y", "%m/%d/%Y", "%Y年%m月%d日", "%Y%m%d")
_DOT = r"[+-]?\d*\.\d+(?:[eE][+-]?\d+)?"
_COMMA = r"[+-]?\d*,\d+(?:[eE][+-]?\d+)?"
_THOUSANDS = r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?"


def coerce_frame(cells: pd.DataFrame, decimal: str, lines: Callable[[np.ndarray], np.ndarray],
                 changes: list[CellChange], counts: dict[str, int]) -> tuple[pd.DataFrame, dict[str, str]]:
    """Typed columns and their kinds from a frame of strings ("" = empty)."""
    out: dict[str, object] = {}
    kinds: dict[str, str] = {}
    for column in cells.columns:
        raw = cells[column].astype(str)
        values, kind = _coerce_column(str(column), raw, decimal, lines, changes, counts)
        out[str(column)] = values
        kinds[str(column)] = kind
    return pd.DataFrame(out, index=pd.RangeIndex(len(cells))), kinds


def _coerce_column(column: str, raw: pd.Series, decimal: str, lines: Callable[[np.ndarray], np.ndarray],
                   changes: list[CellChange], counts: dict[str, int]) -> tuple[object, str]:
    stripped = raw.str.strip()
    empty = (stripped == "").to_numpy()
    marker = stripped.isin(MISSING_MARKERS).to_numpy()
    filled = ~empty & ~marker
    n_filled = int(filled.sum())
    numbers, other_mark = _parse_numbers(stripped, decimal)
    parsed = ~np.isnan(numbers)
    if n_filled == 0 or parsed[filled].sum() >= NUMBER_SHARE * n_filled:
        infinite = np.isinf(numbers)
        numbers[infinite] = np.nan
        bad = filled & ~parsed
        _record(column, raw, np.flatnonzero(bad), "", t("not a number; read as missing"), lines, changes, counts)
        _record(column, raw, np.flatnonzero(infinite), "", t("not a finite number; read as missing"), lines,
                changes, counts)
        _record(column, raw, np.flatnonzero(marker), "", t("a missing-value marker; read as missing"), lines,
                changes, counts)
        fixed = np.flatnonzero(other_mark & parsed & filled)
        _record(column, raw, fixed, numbers, t("written with the other decimal mark; read as a number"), lines,
                changes, counts)
        return numbers, NUMBER
    dates = _parse_dates(stripped, filled)
    if dates is not None:
        bad = filled & dates.isna().to_numpy()
        _record(column, raw, np.flatnonzero(bad), "", t("not a date like the others; read as missing"), lines,
                changes, counts)
        _record(column, raw, np.flatnonzero(marker), "", t("a missing-value marker; read as missing"), lines,
                changes, counts)
        return dates.to_numpy(), DATE
    text = stripped.to_numpy(dtype=object)
    text[~filled] = None
    spaced = filled & (raw != stripped).to_numpy()
    _record(column, raw, np.flatnonzero(spaced), text, t("surrounding spaces removed"), lines, changes, counts)
    _record(column, raw, np.flatnonzero(marker), "", t("a missing-value marker; read as missing"), lines,
            changes, counts)
    return text, TEXT


def _parse_numbers(stripped: pd.Series, decimal: str) -> tuple[np.ndarray, np.ndarray]:
    """Float values (NaN where not a number) and where a cell used the other decimal mark."""
    if decimal == ",":
        other = stripped.str.fullmatch(_DOT).fillna(False).to_numpy(dtype=bool)
        normal = stripped.str.replace(".", "\0", regex=False).str.replace(",", ".", regex=False)
        normal = normal.where(~other, stripped)
    else:
        other = stripped.str.fullmatch(_COMMA).fillna(False).to_numpy(dtype=bool).copy()
        thousands = stripped.str.fullmatch(_THOUSANDS).fillna(False).to_numpy(dtype=bool)
        other &= ~thousands  # 1,500 in a decimal-point file is not 1.5: it stays "not a number"
        normal = stripped.where(~other, stripped.str.replace(",", ".", regex=False))
    values = pd.to_numeric(normal, errors="coerce")
    return np.asarray(values, dtype=np.float64).copy(), other


def _parse_dates(stripped: pd.Series, filled: np.ndarray) -> pd.Series | None:
    """Datetimes when one format fits nearly every filled cell of a sample; else None."""
    sample = stripped[filled]
    if sample.empty:
        return None
    sample = sample.iloc[:DATE_SAMPLE]
    if not sample.str.contains(r"\d", regex=True).all():
        return None
    best, best_share = None, 0.0
    for fmt in DATE_FORMATS:
        share = float(pd.to_datetime(sample, format=fmt, errors="coerce").notna().mean())
        if share > best_share:
            best, best_share = fmt, share
    if best is None or best_share < DATE_SHARE:
        return None
    return pd.to_datetime(stripped.where(filled, None), format=best, errors="coerce")


def _record(column: str, raw: pd.Series, rows: np.ndarray, result: object, reason: str,
            lines: Callable[[np.ndarray], np.ndarray], changes: list[CellChange], counts: dict[str, int]) -> None:
    if len(rows) == 0:
        return
    key = f"{column}\t{reason}"
    counts[key] = counts.get(key, 0) + len(rows)
    rows = rows[:max(0, MAX_KEPT_CHANGES - len(changes))]  # the counts stay exact past the cap
    if len(rows) == 0:
        return
    line_numbers = lines(rows)
    values = raw.to_numpy()
    for row, line in zip(rows.tolist(), line_numbers.tolist()):
        if isinstance(result, np.ndarray):
            value = result[row]
            shown = f"{value:.10g}" if isinstance(value, float) else str(value)
        else:
            shown = str(result)
        changes.append(CellChange(int(line), column, str(values[row])[:80], shown, reason))
