"""Predicting with a mined table's models: the prediction form's fields (generated from the table's
feature columns) and batch prediction of another file with the same columns.

The output keeps every column of the input (ID columns included) and adds the prediction; it is
checked before any work (``check_output``: never an input, never an existing file unasked).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from engine.core.atomic import atomic_open
from engine.core.errors import DataError, InputError
from engine.core.i18n import t
from engine.core.output_paths import CSV_SUFFIXES, check_output
from engine.tables.explain import predict_frame
from engine.tables.mining import MineResult
from engine.tables.reading import ReadOptions, read_table
from engine.tables.roles import CLASSIFICATION, model_frame
from engine.tables.table import DATE, NUMBER, TEXT, CellChange, Table

MAX_CHOICES = 200


@dataclass(frozen=True)
class FormField:
    name: str  # the column's name as written (Chinese names stay as they are)
    kind: str  # number | category | date
    minimum: float | str | None = None
    maximum: float | str | None = None
    default: Any = None
    integer: bool = False
    choices: tuple[str, ...] = ()


def form_spec(table: Table, result: MineResult) -> list[FormField]:
    """One field per feature column: numbers with their observed range, categories as lists, dates."""
    return [column_field(table, name) for name in result.roles.features]


def column_field(table: Table, name: str) -> FormField:
    """The form field of one column, worked out once per table: on 200,000 rows a full form takes ~0.3 s,
    which must not be spent again on the window's thread at each prediction (``warm_form_fields``)."""
    cache = table.__dict__.setdefault("_form_fields", {})
    if name not in cache:
        cache[name] = _column_field(table, name)
    return cache[name]


def warm_form_fields(table: Table, columns: list[str] | tuple[str, ...]) -> None:
    """The fields of ``columns``, computed where the table is opened (a worker thread), not in the window's."""
    for name in columns:
        column_field(table, name)


def _column_field(table: Table, name: str) -> FormField:
    values = table.frame[name].dropna()
    kind = table.kinds[name]
    if kind == NUMBER:
        arr = values.to_numpy(dtype=np.float64)
        integer = bool(len(arr) and np.all(np.mod(arr, 1) == 0))
        median = float(np.median(arr)) if len(arr) else 0.0
        return FormField(name, "number", float(arr.min()) if len(arr) else 0.0, float(arr.max()) if len(arr) else 0.0,
                         round(median) if integer else median, integer)
    if kind == DATE:
        return FormField(name, "date", str(values.min().date()), str(values.max().date()),
                         str(values.sort_values().iloc[len(values) // 2].date()))
    counts = values.astype(str).value_counts()
    choices = tuple(str(c) for c in counts.index[:MAX_CHOICES])
    return FormField(name, "category", default=choices[0] if choices else "", choices=choices)


def form_row(table: Table, result: MineResult, values: dict[str, Any]) -> pd.DataFrame:
    """The models' input frame for the values typed into the form; an unusable value → ``InputError``."""
    spec = {f.name: f for f in form_spec(table, result)}
    unknown = sorted(set(values) - set(spec))
    if unknown:
        raise InputError("Unknown column {name}; the features are {names}.", name=", ".join(unknown),
                         names=", ".join(spec))
    raw: dict[str, list[Any]] = {}
    for name, f in spec.items():
        value = values.get(name, f.default)
        if f.kind == "number":
            try:
                number = float(value)
            except (TypeError, ValueError) as exc:
                raise InputError("{name} must be a number, not {value!r}.", name=name, value=value) from exc
            if not math.isfinite(number):
                raise InputError("{name} must be a finite number, not {value}.", name=name, value=number)
            raw[name] = [number]
        elif f.kind == "date":
            stamp = pd.to_datetime(str(value), errors="coerce")
            if pd.isna(stamp):
                raise InputError("{name} must be a date like 2024-03-31, not {value!r}.", name=name, value=value)
            raw[name] = [stamp]
        else:
            raw[name] = [None if value in (None, "") else str(value)]
    return model_frame(pd.DataFrame(raw), table.kinds, result.roles.features)


def out_of_range(table: Table, result: MineResult, values: dict[str, Any]) -> list[str]:
    """Number fields whose value lies outside what the table holds: the models never saw such rows."""
    names = []
    for f in form_spec(table, result):
        if f.kind == "number" and f.name in values:
            v = float(values[f.name])
            if not (f.minimum <= v <= f.maximum):
                names.append(f.name)
    return names


@dataclass
class BatchResult:
    rows: int
    output: str
    changes: list[CellChange] = field(default_factory=list)
    change_counts: dict[str, int] = field(default_factory=dict)
    model: str = ""
    unfamiliar: list[str] = field(default_factory=list)  # values beyond what the models learnt from, one line each


def batch_predict(table: Table, result: MineResult, in_path: str | os.PathLike[str], out_path: str | os.PathLike[str],
                  *, force: bool = False, options: ReadOptions | None = None, model: str | None = None) -> BatchResult:
    """Predict every row of ``in_path`` (same feature columns) and write ``out_path`` (CSV)."""
    inputs = [in_path] + ([table.source["path"]] if table.source.get("path") else [])
    out = check_output(out_path, inputs=inputs, force=force, allowed_suffixes=CSV_SUFFIXES)
    batch = read_table(in_path, options)
    missing = [c for c in result.roles.features if c not in batch.kinds]
    if missing:
        raise DataError("{name} lacks the column(s) {columns} that the models need.", name=Path(in_path).name,
                        columns=", ".join(missing))
    changes, counts = list(batch.changes), dict(batch.change_counts)
    frame = batch.frame.copy()
    for column in result.roles.features:
        frame[column] = _as_kind(batch, column, table.kinds[column], changes, counts)
    X = model_frame(frame, table.kinds, result.roles.features)
    unfamiliar = unfamiliar_values(table, frame, result.roles.features)
    name = model or result.best
    pred, proba = predict_frame(result, X, name)
    written = batch.frame.copy()
    target = result.target
    written[f"predicted_{target}"] = pred
    if result.task == CLASSIFICATION and proba is not None:
        for j, c in enumerate(result.models[name].classes_):
            written[f"probability_{c}"] = np.round(proba[:, j], 4)
    with atomic_open(out, "w", encoding="utf-8-sig") as fh:
        _text_frame(written).to_csv(fh, index=False, lineterminator="\n")
    return BatchResult(len(written), str(out), changes, counts, name, unfamiliar)


MAX_NAMED = 5


def unfamiliar_values(table: Table, frame: pd.DataFrame, features: tuple[str, ...] | list[str]) -> list[str]:
    """Per feature: numbers or dates outside the range the models learnt from, categories they never saw.
    They are still predicted (flagged, never changed): a tree answers as at the edge of its data, a
    category it never saw counts as unknown."""
    notes = []
    for column in features:
        kind, seen, values = table.kinds[column], table.frame[column], frame[column]
        try:
            if kind in (NUMBER, DATE):
                low, high = seen.min(), seen.max()
                outside = int(((values < low) | (values > high)).sum())
                if outside:
                    notes.append(t("{column}: {n} value(s) outside the range the models learnt from ({low} … "
                                   "{high}); their predictions go beyond the data.", column=column, n=outside,
                                   low=_shown(low), high=_shown(high)))
            else:
                known = set(seen.dropna().astype(str))
                new = sorted(set(values.dropna().astype(str)) - known)
                if new:
                    count = int(values.dropna().astype(str).isin(new).sum())
                    notes.append(t("{column}: {n} value(s) the models never saw ({values}); read as unknown.",
                                   column=column, n=count, values=", ".join(new[:MAX_NAMED])
                                   + (" …" if len(new) > MAX_NAMED else "")))
        except TypeError:  # values of another kind than the table's: listed as changed cells already
            continue
    return notes


def _shown(value: Any) -> str:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return f"{value:g}" if isinstance(value, (int, float, np.number)) else str(value)


def _as_kind(batch: Table, column: str, kind: str, changes: list[CellChange], counts: dict[str, int]) -> Any:
    """The batch column converted to the kind the models learnt it as (each failed cell listed)."""
    values = batch.frame[column]
    have = batch.kinds[column]
    if have == kind:
        return values
    if kind == NUMBER:
        numbers = pd.to_numeric(values, errors="coerce")
        bad = values.notna() & numbers.isna()
        for row in np.flatnonzero(bad.to_numpy()):
            _add(changes, counts, CellChange(batch.line_of(int(row)), column, str(values.iloc[row]), "",
                                             t("not a number; read as missing")))
        return numbers.astype(np.float64)
    if kind == DATE:
        return pd.to_datetime(values, errors="coerce")
    if kind == TEXT and have == NUMBER:
        return pd.Series([None if pd.isna(v) else _number_text(float(v)) for v in values], dtype=object)
    return values.astype(object)


def _add(changes: list[CellChange], counts: dict[str, int], change: CellChange) -> None:
    key = f"{change.column}\t{change.reason}"
    counts[key] = counts.get(key, 0) + 1
    changes.append(change)


def _number_text(v: float) -> str:
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else f"{v:.10g}"


def _text_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for c in frame.columns:
        col = frame[c]
        if pd.api.types.is_float_dtype(col):
            out[c] = ["" if pd.isna(v) else _number_text(float(v)) for v in col]
        elif pd.api.types.is_datetime64_any_dtype(col):
            out[c] = ["" if pd.isna(v) else str(v.date()) if v == v.normalize() else str(v) for v in col]
        else:
            out[c] = ["" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v) for v in col]
    return pd.DataFrame(out)
