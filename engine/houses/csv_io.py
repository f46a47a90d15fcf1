"""Houses from a person's CSV file: validated, cleaned with every change reported, and
batch predictions written back to a new CSV.

A file is refused with its line number and the reason when its structure is broken (wrong
number of fields, no header, binary data); cells that are merely bad (missing, not a
number, a spreadsheet formula, NaN/inf, absurd magnitude) are repaired and listed.
"""

from __future__ import annotations

import csv
import io
import math
import os
from pathlib import Path

import numpy as np

from engine.core.atomic import atomic_open
from engine.houses.boston import FEATURES, TARGET, HouseData, fingerprint
from engine.core.errors import DataError
from engine.core.i18n import t
from engine.core.results import DataQuality, Provenance

OPTIONAL = {"B"}  # the ethically problematic column may be absent
MAX_ROWS = 200_000
MAX_BYTES = 64 * 1024 * 1024
MAX_ABS = 1e9
MISSING_TOKENS = {"", "na", "n/a", "nan", "null", "none", "?", "-"}
MAX_LISTED = 20


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


def _reader(text: str) -> csv.reader:
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return csv.reader(io.StringIO(text), dialect)


def read_csv_columns(path: str | os.PathLike[str]) -> list[str]:
    """The header of a CSV (for the column-mapping dialog)."""
    path = Path(path)
    try:
        header = next(_reader(_decode(path)))
    except StopIteration as exc:
        raise DataError("{name} is empty.", name=path.name) from exc
    return [h.strip() for h in header]


def _resolve_columns(header: list[str], mapping: dict[str, str] | None, wanted: list[str], path: Path) -> dict[str, int]:
    """feature → column index, via the mapping or case-insensitive names."""
    norm = {h.strip().upper(): i for i, h in enumerate(header)}
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


def _parse(cell: str) -> tuple[float | None, str | None]:
    """(value, problem): value None means missing; problem says why a cell was rejected."""
    s = cell.strip()
    if s.lower() in MISSING_TOKENS:
        return None, None
    try:
        v = float(s.replace(",", "")) if s.count(",") and "." in s else float(s)
    except ValueError:
        if s[:1] in "=+-@" or s[:1] == "\t":
            return None, "formula"
        return None, "text"
    if not math.isfinite(v):
        return None, "nonfinite"
    if abs(v) > MAX_ABS:
        return None, "huge"
    return v, None


def import_house_csv(path: str | os.PathLike[str], mapping: dict[str, str] | None = None,
                     require_target: bool = True, max_rows: int = MAX_ROWS) -> HouseData:
    """Read and clean a CSV of houses; ``DataError`` names the line and the reason when it cannot."""
    path = Path(path)
    reader = _reader(_decode(path))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration as exc:
        raise DataError("{name} is empty.", name=path.name) from exc
    except csv.Error as exc:
        raise DataError("Line 1 of {name} cannot be read: {reason}", name=path.name, reason=exc) from exc
    columns = _resolve_columns(header, mapping, FEATURES + [TARGET], path)
    missing_cols = [f for f in FEATURES if f not in columns and f not in OPTIONAL]
    if require_target and TARGET not in columns:
        missing_cols.append(TARGET)
    if missing_cols:
        raise DataError("{name} lacks the column(s) {columns}. Map your columns to the Boston names or rename them.",
                        name=path.name, columns=", ".join(missing_cols))
    features = [f for f in FEATURES if f in columns]
    wanted = features + ([TARGET] if TARGET in columns else [])
    rows: list[list[float | None]] = []
    lines: list[int] = []
    problems: list[str] = []
    missing = dict.fromkeys(wanted, 0)
    bad = dict.fromkeys(wanted, 0)
    reasons = {"formula": t("a spreadsheet formula, ignored"), "text": t("not a number"),
               "nonfinite": t("not a finite number"), "huge": t("an implausibly large number")}
    try:
        for record in reader:
            if not record or all(not c.strip() for c in record):
                continue
            if len(rows) >= max_rows:
                raise DataError("{name} has more than {limit} rows; split it into smaller files.", name=path.name,
                                limit=f"{max_rows:,}")
            line = reader.line_num
            if len(record) != len(header):
                raise DataError("Line {line} of {name} has {found} fields, but the header has {expected}.",
                                line=line, name=path.name, found=len(record), expected=len(header))
            values: list[float | None] = []
            for feature in wanted:
                v, problem = _parse(record[columns[feature]])
                if problem:
                    bad[feature] += 1
                    if len(problems) < MAX_LISTED:
                        problems.append(t("Line {line}, column {column}: {value!r} is {reason}.", line=line,
                                          column=feature, value=record[columns[feature]][:40], reason=reasons[problem]))
                elif v is None:
                    missing[feature] += 1
                values.append(v)
            rows.append(values)
            lines.append(line)
    except csv.Error as exc:
        raise DataError("Line {line} of {name} cannot be read: {reason}", line=reader.line_num, name=path.name,
                        reason=exc) from exc
    if not rows:
        raise DataError("{name} has a header but no rows of data.", name=path.name)
    table = np.array([[np.nan if v is None else v for v in r] for r in rows], dtype=np.float64)
    actions = list(problems)
    dropped = 0
    keep = np.ones(len(table), dtype=bool)
    if TARGET in wanted:
        no_target = np.isnan(table[:, -1])
        dropped = int(no_target.sum())
        if dropped and require_target:
            keep &= ~no_target
            actions.append(t("{n} row(s) without a price ({target}) were left out.", n=dropped, target=TARGET))
        elif not require_target:
            dropped = 0
    table = table[keep]
    if require_target and len(table) < 20:
        raise DataError("{name} has only {n} usable rows; at least 20 are needed to train.", name=path.name,
                        n=len(table))
    for i, feature in enumerate(features):
        holes = np.isnan(table[:, i])
        if holes.any():
            column = table[~holes, i]
            if column.size == 0:
                raise DataError("Column {column} of {name} has no numbers at all.", column=feature, name=path.name)
            median = float(np.median(column))
            table[holes, i] = median
            actions.append(t("{n} missing or invalid value(s) in {column} were replaced by the column median {median}.",
                             n=int(holes.sum()), column=feature, median=f"{median:.4g}"))
    X = table[:, :len(features)]
    y = table[:, -1] if TARGET in wanted else np.full(len(table), np.nan)
    quality = DataQuality(rows=len(rows), columns=header, missing=missing, non_numeric=bad, actions=actions,
                          dropped_rows=dropped if require_target else 0)
    prov = Provenance("user-csv", t("your file {name}", name=path.name), len(table), fingerprint(X, np.nan_to_num(y)),
                      str(path))
    data = HouseData(X, y, features, prov, quality)
    data.lines = [ln for ln, k in zip(lines, keep) if k]  # type: ignore[attr-defined]
    return data


def batch_predict_csv(models, in_path: str | os.PathLike[str], out_path: str | os.PathLike[str],
                      mapping: dict[str, str] | None = None) -> int:
    """Predict every house of ``in_path`` and write exactly ``out_path`` (atomically); returns rows written."""
    data = import_house_csv(in_path, mapping=mapping, require_target=False)
    missing = [f for f in models.features if f not in data.features]
    if missing:
        raise DataError("{name} lacks the column(s) {columns} that the model needs.", name=Path(in_path).name,
                        columns=", ".join(missing))
    X = data.X[:, [data.features.index(f) for f in models.features]]
    preds = models.predict_rows(X)
    out_path = Path(out_path)
    if out_path.suffix.lower() != ".csv":
        out_path = out_path.with_suffix(".csv")
    try:
        with atomic_open(out_path, "w", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(list(models.features) + [f"predicted_{name}" for name in preds])
            for i in range(len(X)):
                writer.writerow([f"{v:.6g}" for v in X[i]] + [f"{preds[name][i]:.2f}" for name in preds])
    except OSError as exc:
        raise DataError("Could not write {name}: {reason}", name=str(out_path), reason=exc.strerror or exc) from exc
    return len(X)
