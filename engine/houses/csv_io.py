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
import io
import math
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from engine.core.atomic import atomic_open
from engine.core.errors import DataError
from engine.core.i18n import t
from engine.core.output_paths import CSV_SUFFIXES, check_output
from engine.core.results import DataQuality, Provenance
from engine.houses.boston import FEATURES, PHYSICAL_BOUNDS, TARGET, HouseData, fingerprint
from engine.houses.validation import decimal_mark as _mark, parse_cell

OPTIONAL = {"B"}  # the ethically problematic column may be absent
MAX_ROWS = 200_000
MAX_BYTES = 64 * 1024 * 1024
MAX_LISTED = 20
DETECT_ROWS = 2000  # rows looked at to tell decimal points from decimal commas
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


def _decode(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DataError("{name} is too large ({mb} MB); the limit is {limit} MB.", name=path.name,
                            mb=size // 2**20, limit=MAX_BYTES // 2**20)
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise DataError("The file {name} does not exist.", name=str(path)) from exc
    except IsADirectoryError as exc:
        raise DataError("{name} is a folder, not a CSV file.", name=str(path)) from exc
    except OSError as exc:
        raise DataError("{name} cannot be read ({reason}).", name=path.name, reason=exc.strerror or exc) from exc
    if b"\x00" in raw[:65536]:
        raise DataError("{name} is not a text CSV file (it contains binary data).", name=path.name)
    for encoding in ("utf-8-sig", "gbk"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DataError("{name} is not UTF-8 or GBK text.", name=path.name)


def _delimiter(text: str) -> str:
    """From the header line, whose cells are names: decimal commas in the data cannot mislead it."""
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    counts = {d: first.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    if counts[best]:
        return best
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def _reader(text: str, delimiter: str | None = None) -> csv.reader:
    return csv.reader(io.StringIO(text), delimiter=delimiter or _delimiter(text))


def read_csv_columns(path: str | os.PathLike[str]) -> list[str]:
    """The header of a CSV (for the column-mapping dialog)."""
    path = Path(path)
    try:
        header = next(_reader(_decode(path)))
    except StopIteration as exc:
        raise DataError("{name} is empty.", name=path.name) from exc
    return [h.strip() for h in header]


def _resolve_columns(header: list[str], mapping: dict[str, str] | None, wanted: list[str], path: Path) -> dict[str, int]:
    """feature → column index, via the mapping or case-insensitive names; a name used twice is refused."""
    norm: dict[str, int] = {}
    for i, h in enumerate(header):
        key = h.strip().upper()
        if key in wanted and key in norm and not mapping:
            raise DataError("{name} has two columns named {column}; keep one.", name=path.name, column=h.strip())
        norm.setdefault(key, i)
    found: dict[str, int] = {}
    if mapping:
        for column, feature in mapping.items():
            if column not in header and column.strip().upper() not in norm:
                raise DataError("{name} has no column {column}.", name=path.name, column=column)
            found[feature] = header.index(column) if column in header else norm[column.strip().upper()]
    for feature in wanted:
        if feature not in found and feature in norm:
            found[feature] = norm[feature]
    return found


def _detect_decimal(text: str, delimiter: str, columns: Sequence[int], path: Path) -> str:
    """"," when the file's numbers use decimal commas, else "."; a file showing both is refused.

    Clear cells decide; only without them, and not in a comma-separated file, do ``1,500``-like ones.
    """
    seen: dict[str, tuple[int, str]] = {}
    reader = _reader(text, delimiter)
    try:
        next(reader, None)
        for i, record in enumerate(reader):
            if i >= DETECT_ROWS:
                break
            for c in columns:
                if c < len(record) and (mark := _mark(record[c])) and mark not in seen:
                    seen[mark] = (reader.line_num, record[c].strip())
    except csv.Error:
        return "."  # the main pass reports the broken line
    marks = {m: v for m, v in seen.items() if not m.startswith("~")}
    if not marks and delimiter != ",":  # a quoted "1,500" in a comma file is a thousand; in a ";" file, 1.5
        marks = {m[1:]: v for m, v in seen.items()}
    if len(marks) == 2:
        raise DataError("{name} mixes decimal points (line {dot_line}: {dot}) and decimal commas (line {comma_line}: "
                        "{comma}); say which the file uses with --decimal.", name=path.name, dot_line=marks["."][0],
                        dot=marks["."][1], comma_line=marks[","][0], comma=marks[","][1])
    return "," if "," in marks else "."


def _reasons() -> dict[str, str]:
    return {"missing": t("empty"), "formula": t("a spreadsheet formula"), "text": t("not a number"),
            "decimal": t("written with the other decimal mark"), "nonfinite": t("not a finite number"),
            "huge": t("an implausibly large number"), "impossible": t("outside the possible range")}


def _records(text: str, delimiter: str, header_len: int, path: Path, max_rows: int) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of every data row; a row of the wrong width or one too many is refused."""
    reader = _reader(text, delimiter)
    n = 0
    try:
        next(reader, None)
        for record in reader:
            if not record or all(not c.strip() for c in record):
                continue
            if n >= max_rows:
                raise DataError("{name} has more than {limit} rows; split it into smaller files.", name=path.name,
                                limit=f"{max_rows:,}")
            if len(record) != header_len:
                raise DataError("Line {line} of {name} has {found} fields, but the header has {expected}.",
                                line=reader.line_num, name=path.name, found=len(record), expected=header_len)
            n += 1
            yield reader.line_num, record
    except csv.Error as exc:
        raise DataError("Line {line} of {name} cannot be read: {reason}", line=reader.line_num, name=path.name,
                        reason=exc) from exc


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
        raise DataError("{name} is empty.", name=path.name) from exc
    except csv.Error as exc:
        raise DataError("Line 1 of {name} cannot be read: {reason}", name=path.name, reason=exc) from exc
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
                        line=line, name=path.name, column=features[col], value=value[:40], reason=_reasons()[problem])
    if cells and fill not in FILLS:
        raise DataError("Unknown fill method {value!r}; use median.", value=fill)
    medians: dict[int, float] = {}
    repairs = []
    for row, col, line, value, _ in cells:
        if col not in medians:
            good = table[:, col][~np.isnan(table[:, col])]
            if good.size == 0:
                raise DataError("Column {column} of {name} has no numbers at all.", column=features[col],
                                name=path.name)
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
                        name=path.name, columns=", ".join(missing_cols))
    features = [f for f in FEATURES if f in columns]
    wanted = features + ([TARGET] if TARGET in columns else [])
    rows: list[list[float]] = []
    lines: list[int] = []
    bad_cells: list[tuple[int, int, int, str, str]] = []  # (row, column, line, cell, problem)
    missing = dict.fromkeys(wanted, 0)
    bad = dict.fromkeys(wanted, 0)
    for line, record in _records(text, delimiter, len(header), path, max_rows):
        values = []
        for j, feature in enumerate(wanted):
            cell = record[columns[feature]]
            v, problem = parse_cell(cell, decimal)
            if problem == "missing":
                missing[feature] += 1
            elif problem:
                bad[feature] += 1
            if problem and feature != TARGET:
                bad_cells.append((len(rows), j, line, cell, problem))
            values.append(np.nan if v is None else v)
        rows.append(values)
        lines.append(line)
    if not rows:
        raise DataError("{name} has a header but no rows of data.", name=path.name)
    table = np.array(rows, dtype=np.float64)
    keep = np.ones(len(table), dtype=bool)
    actions: list[str] = []
    dropped = 0
    if TARGET in wanted and require_target:
        keep = ~np.isnan(table[:, -1])
        dropped = int((~keep).sum())
        if dropped:
            actions.append(t("{n} row(s) without a price ({target}) were left out.", n=dropped, target=TARGET))
    index = np.cumsum(keep) - 1
    bad_cells = [(int(index[r]), c, ln, v, p) for r, c, ln, v, p in bad_cells if keep[r]]
    table = table[keep]
    if require_target and len(table) < 20:
        raise DataError("{name} has only {n} usable rows; at least 20 are needed to train.", name=path.name,
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
        raise DataError("{name} lacks the column(s) {columns} that the model needs.", name=path.name,
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
        raise DataError("{name} has a header but no rows of data.", name=path.name)
    X = np.array(rows, dtype=np.float64)
    repairs = _fill(X, features, bad_cells, fill, path)
    return HouseBatch(path, header, records, lines, features, X, delimiter, decimal, repairs)


def repairs_path(out_path: str | os.PathLike[str]) -> Path:
    """Where the list of replaced cells goes: beside the output (``prices.csv`` → ``prices.repairs.csv``)."""
    out = Path(out_path)
    return out.with_name(out.stem + ".repairs.csv")


def write_house_batch(models, batch: HouseBatch, out_path: str | os.PathLike[str]) -> int:
    """The person's file, every column and row as written, plus the prices (atomically); returns rows."""
    X = batch.X[:, [batch.features.index(f) for f in models.features]]
    preds = models.predict_rows(X)
    added = [f"predicted_{name}" for name in preds] + (["repaired"] if batch.repairs else [])
    clash = [c for c in added if c in batch.header]
    if clash:
        raise DataError("{name} already has a column {column} (was it priced before?); price the original file or "
                        "rename that column.", name=batch.path.name, column=clash[0])
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
                writer.writerow(record + [number(preds[name][i]) for name in preds] + extra)
    except OSError as exc:
        raise DataError("Could not write {name}: {reason}", name=str(out), reason=exc.strerror or exc) from exc
    return len(batch.records)


def write_repairs(repairs: Sequence[Repair], path: str | os.PathLike[str]) -> Path:
    """line, column, original value, replacement: one row per replaced cell (atomically)."""
    path = Path(path)
    try:
        with atomic_open(path, "w", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["line", "column", "original", "replacement"])
            for r in repairs:
                original = "'" + r.original if r.original[:1] in FORMULA_START else r.original  # never live again
                writer.writerow([r.line, r.column, original, f"{r.replacement:.6g}"])
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
    if batch.repairs:
        check_output(repairs_path(out_path), inputs=(in_path,), force=force)
    n = write_house_batch(models, batch, out_path)
    if batch.repairs:
        write_repairs(batch.repairs, repairs_path(out_path))
    return n
