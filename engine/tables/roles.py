"""Column roles (Orange's feature / target / meta), suggested and changeable, and the task type.

A column is left out with its reason when it cannot help a model generalise: an ID (every value
different, or an integer counter), a constant, free text (too many different values to be
categories), or an empty column. Dates become year / month / weekday features.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from engine.core.errors import InputError
from engine.core.i18n import N_, t
from engine.tables.profile import ColumnProfile
from engine.tables.table import DATE, NUMBER, TEXT, Table

REGRESSION, CLASSIFICATION = "regression", "classification"
TASKS = (REGRESSION, CLASSIFICATION)
MAX_CLASSES = 50
REGRESSION_MIN_DISTINCT = 15
FREE_TEXT_DISTINCT = 100
FREE_TEXT_SHARE = 0.2
ID_NAME = re.compile(r"(^|[_\s.\-])(id|no|nr|key|uuid|code)$|^id[_\s.\-]|编号|序号|学号|工号|代码|身份证", re.IGNORECASE)
TARGET_NAME = re.compile(r"^(target|label|class|y|outcome|result|price|medv|survived|churn|标签|类别|结果|目标|价格|房价)$",
                         re.IGNORECASE)
DATE_PARTS = ("year", "month", "weekday")

REASONS = {  # code → message id (rendered when shown)
    "id": N_("ID-like: every value is different"),
    "constant": N_("constant: the same value in every row"),
    "free_text": N_("free text: too many different values to be categories"),
    "empty": N_("empty: no values"),
    "date": N_("date: used as year, month and weekday"),
    "leakage": N_("target leakage: predicts the target almost perfectly on its own"),
    "user": N_("left out by you"),
}


def reason_text(code: str) -> str:
    return t(REASONS.get(code, code))


@dataclass(frozen=True)
class Roles:
    target: str
    task: str
    features: tuple[str, ...]  # input columns the models use (dates as columns; expanded by ``model_frame``)
    ignored: tuple[tuple[str, str], ...] = ()  # (column, reason code)
    kept: tuple[str, ...] = ()  # columns the person asked to keep even if flagged

    def ignored_reasons(self) -> dict[str, str]:
        return dict(self.ignored)


def suggest_target(table: Table, profiles: list[ColumnProfile]) -> str:
    """A column named like a target, else the last column that is not an ID, text or constant."""
    for p in profiles:
        if TARGET_NAME.match(p.name.strip()):
            return p.name
    for p in reversed(profiles):
        if ignore_reason(p, table.rows) is None:
            return p.name
    return profiles[-1].name


def detect_task(profile: ColumnProfile) -> str:
    """Numbers with many values → regression; categories or few values → classification."""
    if profile.kind == NUMBER and (profile.distinct > REGRESSION_MIN_DISTINCT
                                   or (not profile.integer and profile.distinct > REGRESSION_MIN_DISTINCT // 2)):
        return REGRESSION
    return CLASSIFICATION


def ignore_reason(p: ColumnProfile, n_rows: int) -> str | None:
    present = n_rows - p.missing
    if present == 0:
        return "empty"
    if p.distinct <= 1:
        return "constant"
    if p.kind == DATE:
        return "date"
    looks_like_id = bool(ID_NAME.search(p.name.strip()))
    if p.kind == TEXT:
        many = (present >= 20 and p.distinct == present) or (p.distinct > FREE_TEXT_DISTINCT
                                                             and p.distinct > FREE_TEXT_SHARE * present)
        if many:
            return "free_text" if p.wordy and not looks_like_id else "id"
        return None
    if p.kind == NUMBER and p.integer and present >= 20 and p.distinct == present and (
            looks_like_id or (p.maximum is not None and p.minimum is not None
                              and float(p.maximum) - float(p.minimum) + 1 == present)):
        return "id"
    return None


def suggest_roles(table: Table, profiles: list[ColumnProfile], target: str, task: str | None = None,
                  ignore: tuple[str, ...] = (), keep: tuple[str, ...] = ()) -> Roles:
    """The suggested roles for ``target``; ``ignore`` and ``keep`` are the person's overrides."""
    by_name = {p.name: p for p in profiles}
    for name in (target, *ignore, *keep):
        if name not in by_name:
            raise InputError("The table has no column {column}; its columns are {columns}.", column=name,
                             columns=", ".join(by_name))
    task = task or detect_task(by_name[target])
    if task not in TASKS:
        raise InputError("The task must be regression or classification, not {value!r}.", value=task)
    features, ignored = [], []
    for p in profiles:
        if p.name == target:
            continue
        if p.name in ignore:
            ignored.append((p.name, "user"))
            continue
        reason = ignore_reason(p, table.rows)
        if reason == "date" or reason is None or p.name in keep:
            features.append(p.name)  # a date is a feature: ``model_frame`` makes it year / month / weekday
            continue
        ignored.append((p.name, reason))
    return Roles(target, task, tuple(features), tuple(ignored), tuple(keep))


def without(roles: Roles, column: str, reason: str) -> Roles:
    return replace(roles, features=tuple(f for f in roles.features if f != column),
                   ignored=(*roles.ignored, (column, reason)))


def model_frame(frame: pd.DataFrame, kinds: dict[str, str], features: tuple[str, ...] | list[str]) -> pd.DataFrame:
    """The models' inputs: numbers as float64, categories as object (``None`` for missing), each date
    as year / month / weekday. A fixed, row-wise recoding: nothing here is fitted, so nothing leaks."""
    out: dict[str, object] = {}
    for name in features:
        kind = kinds[name]
        values = frame[name]
        if kind == DATE:
            dates = pd.to_datetime(values)
            out[f"{name}.year"] = dates.dt.year.astype("float64").to_numpy()
            out[f"{name}.month"] = dates.dt.month.astype("float64").to_numpy()
            out[f"{name}.weekday"] = dates.dt.day_of_week.astype("float64").to_numpy()
        elif kind == NUMBER:
            out[name] = values.to_numpy(dtype=np.float64)
        else:
            arr = values.astype(object).to_numpy().copy()
            arr[pd.isna(arr)] = None
            # object, not pandas 3's inferred ``str`` dtype (which turns None into NaN): the category
            # imputer looks for None
            out[name] = pd.Series(arr, index=frame.index, dtype=object)
    return pd.DataFrame(out, index=frame.index)


def target_values(frame: pd.DataFrame, kinds: dict[str, str], roles: Roles) -> tuple[np.ndarray, np.ndarray]:
    """(y, rows whose target is present). Classification targets become strings (classes by name)."""
    values = frame[roles.target]
    present = values.notna().to_numpy()
    if roles.task == REGRESSION:
        if kinds[roles.target] != NUMBER:
            raise InputError("{column} holds text, so it cannot be a regression target; choose classification.",
                             column=roles.target)
        return values.to_numpy(dtype=np.float64), present
    if kinds[roles.target] == NUMBER:
        labels = np.array([_class_label(v) for v in values.to_numpy()], dtype=object)
    else:
        labels = values.astype(object).to_numpy()
    return labels, present


def _class_label(value: float) -> str | None:
    if value is None or np.isnan(value):
        return None
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


@dataclass
class RoleChoice:
    """The person's edits in the GUI, carried to the mining task."""

    target: str
    task: str | None = None
    ignore: list[str] = field(default_factory=list)
    keep: list[str] = field(default_factory=list)
