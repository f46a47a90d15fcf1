"""Houses from a person's CSV file: read exactly, every change listed, prices written beside
the person's own columns.

A file is refused with its line number and the reason when its structure is broken (wrong
number of fields, no header, binary data). Numbers are parsed explicitly: the decimal mark
(``6.5`` or ``6,5``) is detected or given, never guessed per cell. A cell that is not a number
is an error naming line, column and value — unless the caller asks for ``fill="median"``,
in which case it is replaced and every replacement is listed (``Repair``).
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from engine.core.atomic import atomic_open
from engine.core.errors import DataError
from engine.core.i18n import t
from engine.core.output_paths import CSV_SUFFIXES, check_output
from engine.core.results import DataQuality, Provenance
from engine.houses.boston import FEATURES, PHYSICAL_BOUNDS, TARGET, HouseData, fingerprint
from engine.houses.csv_text import MAX_BYTES, csv_reader as _reader, data_records as _records, decode_text as _decode  # noqa: F401
from engine.houses.csv_text import delimiter_of as _delimiter, detect_decimal as _detect_decimal
from engine.houses.validation import TARGET_BOUNDS, parse_cell

OPTIONAL = {"B"}  # the ethically problematic column may be absent
MAX_ROWS = 200_000
MAX_LISTED = 20
FILLS = ("median",)
DECIMALS = (".", ",")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Repair:
    """One cell the import replaced: where, what it held, what was used instead."""

    line: int
    column: str
    original: str
    replacement: float


@dataclass
class HouseBatch:
    """Houses to price: the file's cells as written (carried to the output) and the model's numbers."""

    path: Path
    header: list[str]
    records: list[list[str]]
    lines: list[int]
    features: list[str]
    X: np.ndarray
    delimiter: str
    decimal: str
    repairs: list[Repair] = field(default_factory=list)


def read_csv_columns(path: str | os.PathLike[str]) -> list[str]:
    """The header of a CSV (for the column-mapping dialog)."""
    path = Path(path)
    try:
        header = next(_reader(_decode(path)))
    except StopIteration as exc:
        raise DataError("{name} is empty.", name=str(path)) from exc
    return [h.strip() for h in header]


def _resolve_columns(header: list[str], mapping: dict[str, str] | None, wanted: list[str], path: Path) -> dict[str, int]:
    """feature → column index, via the mapping or case-insensitive names; a name used twice is refused."""
    norm: dict[str, int] = {}
    for i, h in enumerate(header):
        key = h.strip().upper()
        if key in wanted and key in norm and not mapping:
            raise DataError("{name} has two columns named {column}; keep one.", name=str(path), column=h.strip())
        norm.setdefault(key, i)
    found: dict[str, int] = {}
    if mapping:
        for column, feature in mapping.items():
            if column not in header and column.strip().upper() not in norm:
                raise DataError("{name} has no column {column}.", name=str(path), column=column)
            found[feature] = header.index(column) if column in header else norm[column.strip().upper()]
    for feature in wanted:
        if feature not in found and feature in norm:
            found[feature] = norm[feature]
    return found


def _reasons() -> dict[str, str]:
    return {"missing": t("empty"), "formula": t("a spreadsheet formula"), "text": t("not a number"),
            "decimal": t("written with the other decimal mark"), "nonfinite": t("not a finite number"),
            "huge": t("an implausibly large number"), "impossible": t("outside the possible range")}


def _open_table(path: Path, mapping: dict[str, str] | None, wanted: list[str],
                decimal: str | None) -> tuple[str, list[str], str, dict[str, int], str]:
    """(text, header, delimiter, feature → column, decimal mark) of a CSV file."""
    if decimal not in (None, *DECIMALS):
        raise DataError("The decimal mark must be . or , (not {value!r}).", value=decimal)
    text = _decode(path)
    delimiter = _delimiter(text)
    try:
        header = [h.strip() for h in next(_reader(text, delimiter))]
    except StopIteration as exc:
        raise DataError("{name} is empty.", name=str(path)) from exc
    except csv.Error as exc:
        raise DataError("Line 1 of {name} cannot be read: {reason}", name=str(path), reason=exc) from exc
    columns = _resolve_columns(header, mapping, wanted, path)
    decimal = decimal or _detect_decimal(text, delimiter, [columns[f] for f in wanted if f in columns], path)
    return text, header, delimiter, columns, decimal


def _fill(table: np.ndarray, features: list[str], cells: list[tuple[int, int, int, str, str]], fill: str | None,
          path: Path) -> list[Repair]:
    """Replace the bad cells (row, column, line, value, problem) of ``table``, or refuse the first one."""
    if cells and fill is None:
        row, col, line, value, problem = cells[0]
        raise DataError("Line {line} of {name}, column {column}: {value!r} is {reason}. Correct it, or use --fill "
                        "median to replace such cells by the column median (every replacement is listed).",
                        line=line, name=str(path), column=features[col], value=value[:40], reason=_reasons()[problem])
    if cells and fill not in FILLS:
        raise DataError("Unknown fill method {value!r}; use median.", value=fill)
    medians: dict[int, float] = {}
    repairs = []
    for row, col, line, value, _ in cells:
        if col not in medians:
            good = table[:, col][~np.isnan(table[:, col])]
            if good.size == 0:
                raise DataError("Column {column} of {name} has no numbers at all.", column=features[col],
                                name=str(path))
            medians[col] = float(np.median(good))
        table[row, col] = medians[col]
        repairs.append(Repair(line, features[col], value, medians[col]))
    return repairs


def import_house_csv(path: str | os.PathLike[str], mapping: dict[str, str] | None = None,
                     require_target: bool = True, max_rows: int = MAX_ROWS, *, decimal: str | None = None,
                     fill: str | None = "median") -> HouseData:
    """Read a CSV of houses to train on; ``DataError`` names the line and the reason when it cannot.

    ``fill="median"`` (the app's import, which shows the list) replaces bad feature cells and
    reports each in ``quality.actions``; ``fill=None`` refuses the first one. Rows without a
    price are left out (and said so).
    """
    path = Path(path)
    text, header, delimiter, columns, decimal = _open_table(path, mapping, FEATURES + [TARGET], decimal)
    missing_cols = [f for f in FEATURES + [TARGET] * require_target if f not in columns and f not in OPTIONAL]
    if missing_cols:
        raise DataError("{name} lacks the column(s) {columns}. Map your columns to the Boston names or rename them.",
                        name=str(path), columns=", ".join(missing_cols))
    features = [f for f in FEATURES if f in columns]
    wanted = features + ([TARGET] if TARGET in columns else [])
    rows: list[list[float]] = []
    lines: list[int] = []
    bad_cells: list[tuple[int, int, int, str, str]] = []  # (row, column, line, cell, problem)
    bad_targets: list[tuple[int, str, str]] = []  # (line, cell, problem) of prices that are not usable
    missing = dict.fromkeys(wanted, 0)
    bad = dict.fromkeys(wanted, 0)
    for line, record in _records(text, delimiter, len(header), path, max_rows):
        values = []
        for j, feature in enumerate(wanted):
            cell = record[columns[feature]]
            v, problem = parse_cell(cell, decimal)
            low, high = TARGET_BOUNDS if feature == TARGET else PHYSICAL_BOUNDS.get(feature, (-math.inf, math.inf))
            if v is not None and not low <= v <= high:  # the bounds prediction checks: no house has RM = -6
                v, problem = None, "impossible"
            if problem == "missing":
                missing[feature] += 1
            elif problem:
                bad[feature] += 1
            if problem and feature != TARGET:
                bad_cells.append((len(rows), j, line, cell, problem))
            elif problem and problem != "missing":
                bad_targets.append((line, cell, problem))
            values.append(np.nan if v is None else v)
        rows.append(values)
        lines.append(line)
    if not rows:
        raise DataError("{name} has a header but no rows of data.", name=str(path))
    if bad_targets and fill is None:
        line, value, problem = bad_targets[0]
        raise DataError("Line {line} of {name}, column {column}: {value!r} is {reason}; a price must be a number from "
                        "{low} to {high} (thousand dollars). Correct it, or use --fill median to leave such rows out "
                        "(each is listed).", line=line, name=str(path), column=TARGET, value=value[:40],
                        reason=_reasons()[problem], low=f"{TARGET_BOUNDS[0]:g}", high=f"{TARGET_BOUNDS[1]:,.0f}")
    table = np.array(rows, dtype=np.float64)
    keep = np.ones(len(table), dtype=bool)
    actions: list[str] = []
    dropped = 0
    if TARGET in wanted and require_target:
        keep = ~np.isnan(table[:, -1])
        dropped = int((~keep).sum())
        if dropped:
            actions.append(t("{n} row(s) without a price ({target}) were left out.", n=dropped, target=TARGET))
        for line, value, problem in bad_targets[:MAX_LISTED]:
            actions.append(t("Line {line}, column {column}: {value!r} is {reason}; the row was left out.", line=line,
                             column=TARGET, value=value[:40], reason=_reasons()[problem]))
    index = np.cumsum(keep) - 1
    bad_cells = [(int(index[r]), c, ln, v, p) for r, c, ln, v, p in bad_cells if keep[r]]
    table = table[keep]
    if require_target and len(table) < 20:
        raise DataError("{name} has only {n} usable rows; at least 20 are needed to train.", name=str(path),
                        n=len(table))
    repairs = _fill(table, features, bad_cells, fill, path)
    reasons = _reasons()
    for feature in features:
        replaced = [r for r in repairs if r.column == feature]
        if replaced:
            actions.append(t("{n} missing or invalid value(s) in {column} were replaced by the column median {median}.",
                             n=len(replaced), column=feature, median=f"{replaced[0].replacement:.4g}"))
    for r in repairs[:MAX_LISTED]:
        actions.append(t("Line {line}, column {column}: {value!r} is {reason}; the column median {median} was used.",
                         line=r.line, column=r.column, value=r.original[:40],
                         reason=reasons[parse_cell(r.original, decimal)[1] or "text"], median=f"{r.replacement:.4g}"))
    if len(repairs) > MAX_LISTED:
        actions.append(t("… and {n} more replaced cells.", n=len(repairs) - MAX_LISTED))
    X = table[:, :len(features)]
    y = table[:, -1] if TARGET in wanted else np.full(len(table), np.nan)
    quality = DataQuality(rows=len(rows), columns=header, missing=missing, non_numeric=bad, actions=actions,
                          dropped_rows=dropped)
    prov = Provenance("user-csv", t("your file {name}", name=path.name), len(table), fingerprint(X, np.nan_to_num(y)),
                      str(path))
    data = HouseData(X, y, features, prov, quality)
    data.lines = [ln for ln, k in zip(lines, keep) if k]  # type: ignore[attr-defined]
    data.repairs = repairs  # type: ignore[attr-defined]
    return data


def read_house_batch(path: str | os.PathLike[str], features: Sequence[str], mapping: dict[str, str] | None = None,
                     *, decimal: str | None = None, fill: str | None = None, max_rows: int = MAX_ROWS) -> HouseBatch:
    """Read houses to price (before any training, so a bad file costs seconds, not minutes).

    Every cell of a model feature must be a number a real house can have; otherwise the
    first one is refused, or with ``fill="median"`` all are replaced and listed.
    """
    path = Path(path)
    features = list(features)
    text, header, delimiter, columns, decimal = _open_table(path, mapping, features, decimal)
    missing_cols = [f for f in features if f not in columns]
    if missing_cols:
        raise DataError("{name} lacks the column(s) {columns} that the model needs.", name=str(path),
                        columns=", ".join(missing_cols))
    records, lines, rows = [], [], []
    bad_cells: list[tuple[int, int, int, str, str]] = []
    for line, record in _records(text, delimiter, len(header), path, max_rows):
        values = []
        for j, feature in enumerate(features):
            cell = record[columns[feature]]
            v, problem = parse_cell(cell, decimal)
            low, high = PHYSICAL_BOUNDS.get(feature, (-math.inf, math.inf))
            if v is not None and not low <= v <= high:
                v, problem = None, "impossible"
            if problem:
                bad_cells.append((len(rows), j, line, cell, problem))
            values.append(np.nan if v is None else v)
        rows.append(values)
        records.append(record)
        lines.append(line)
    if not rows:
        raise DataError("{name} has a header but no rows of data.", name=str(path))
    X = np.array(rows, dtype=np.float64)
    repairs = _fill(X, features, bad_cells, fill, path)
    return HouseBatch(path, header, records, lines, features, X, delimiter, decimal, repairs)


@dataclass(frozen=True)
class OutsideRange:
    """One cell of a priced row outside what the models were trained on (still priced, with a warning)."""

    line: int
    column: str
    value: float
    low: float
    high: float


def outside_training_range(batch: HouseBatch, ranges: dict[str, tuple[float, float]]) -> list[OutsideRange]:
    """Every cell of ``batch`` outside the training data's range for its feature, in file order."""
    found = []
    for i, line in enumerate(batch.lines):
        for j, feature in enumerate(batch.features):
            low, high = ranges.get(feature, (-math.inf, math.inf))
            value = float(batch.X[i, j])
            if not low <= value <= high:
                found.append(OutsideRange(line, feature, value, float(low), float(high)))
    return found


def repairs_path(out_path: str | os.PathLike[str]) -> Path:
    """Where the list of replaced cells goes: beside the output (``prices.csv`` → ``prices.repairs.csv``)."""
    out = Path(out_path)
    return out.with_name(out.stem + ".repairs.csv")


def write_house_batch(models, batch: HouseBatch, out_path: str | os.PathLike[str],
                      outside: Sequence[OutsideRange] = ()) -> int:
    """The person's file, every column and row as written, plus the prices (atomically); returns rows.

    With ``outside``, a column ``outside_training_range`` names, per row, the features the models never saw
    such values of.
    """
    X = batch.X[:, [batch.features.index(f) for f in models.features]]
    preds = models.predict_rows(X)
    added = ([f"predicted_{name}" for name in preds] + (["repaired"] if batch.repairs else [])
             + (["outside_training_range"] if outside else []))
    flagged: dict[int, list[str]] = {}
    for o in outside:
        flagged.setdefault(o.line, []).append(o.column)
    clash = [c for c in added if c in batch.header]
    if clash:
        raise DataError("{name} already has a column {column} (was it priced before?); price the original file or "
                        "rename that column.", name=str(batch.path), column=clash[0])
    fixed: dict[int, list[str]] = {}
    for r in batch.repairs:
        fixed.setdefault(r.line, []).append(f"{r.column}={r.replacement:.6g}")
    out = Path(out_path)
    number = (lambda v: f"{v:.2f}".replace(".", ",")) if batch.decimal == "," else (lambda v: f"{v:.2f}")
    try:
        with atomic_open(out, "w", encoding="utf-8") as fh:
            writer = csv.writer(fh, delimiter=batch.delimiter)
            writer.writerow(batch.header + added)
            for i, record in enumerate(batch.records):
                extra = ["; ".join(fixed.get(batch.lines[i], []))] if batch.repairs else []
                extra += [" ".join(flagged.get(batch.lines[i], []))] if outside else []
                writer.writerow(record + [number(preds[name][i]) for name in preds] + extra)
    except OSError as exc:
        raise DataError("Could not write {name}: {reason}", name=str(out), reason=exc.strerror or exc) from exc
    return len(batch.records)


def write_repairs(repairs: Sequence[Repair], path: str | os.PathLike[str],
                  outside: Sequence[OutsideRange] = ()) -> Path:
    """line, column, original value, replacement, note: one row per replaced cell and per cell outside
    the training range (kept, with a note), in line order (atomically)."""
    path = Path(path)
    rows: list[tuple[int, int, list[str]]] = []
    for r in repairs:
        original = "'" + r.original if r.original[:1] in FORMULA_START else r.original  # never live again
        rows.append((r.line, 0, [str(r.line), r.column, original, f"{r.replacement:.6g}",
                                 t("replaced by the column median")]))
    for o in outside:
        rows.append((o.line, 1, [str(o.line), o.column, f"{o.value:.6g}", "",
                                 t("outside the training range {low} to {high}; priced, with care",
                                   low=f"{o.low:.6g}", high=f"{o.high:.6g}")]))
    try:
        with atomic_open(path, "w", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["line", "column", "original", "replacement", "note"])
            for _line, _kind, row in sorted(rows, key=lambda r: (r[0], r[1])):
                writer.writerow(row)
    except OSError as exc:
        raise DataError("Could not write {name}: {reason}", name=str(path), reason=exc.strerror or exc) from exc
    return path


def batch_predict_csv(models, in_path: str | os.PathLike[str], out_path: str | os.PathLike[str],
                      mapping: dict[str, str] | None = None, *, decimal: str | None = None, fill: str | None = None,
                      force: bool = False) -> int:
    """Price every house of ``in_path`` into exactly ``out_path``; returns rows written.

    ``out_path`` goes through ``check_output`` (never an input, never renamed, replaced only
    with ``force``). With ``fill`` the replaced cells are also written to ``repairs_path(out)``.
    """
    check_output(out_path, inputs=(in_path,), force=force, allowed_suffixes=CSV_SUFFIXES)
    batch = read_house_batch(in_path, models.features, mapping, decimal=decimal, fill=fill)
    outside = outside_training_range(batch, models.info.feature_ranges)
    if batch.repairs or outside:
        check_output(repairs_path(out_path), inputs=(in_path,), force=force)
    n = write_house_batch(models, batch, out_path, outside)
    if batch.repairs or outside:
        write_repairs(batch.repairs, repairs_path(out_path), outside)
    return n
