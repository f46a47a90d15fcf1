"""Explaining a mined table's models as the Boston workspace does: the tree's rule path in words for
any row, importances, "what if" on any feature, and the depth lab (training vs cross-validated score)."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from engine.core.i18n import t
from engine.core.tasks import Progress, Task
from engine.core.errors import InputError
from engine.tables.mining import (MineResult, Prepared, cross_validate_task, cv_sample, fold_scores,
                                    folds_for, prepare, summarise)
from engine.tables.pipeline import make_pipeline
from engine.tables.roles import CLASSIFICATION, model_frame
from engine.tables.table import Table


@dataclass(frozen=True)
class PathStep:
    column: str
    text: str  # the condition this row met, in words


@dataclass(frozen=True)
class RulePath:
    steps: list[PathStep]
    outcome: str  # "→ 24.3" or "→ yes (87% of 140 training rows)"
    words: str  # the whole path in one line


def row_inputs(table: Table, result: MineResult, row: int) -> pd.DataFrame:
    """Row ``row`` (0-based) of the table as the models' input frame."""
    return model_frame(table.frame.iloc[[row]], table.kinds, result.roles.features).reset_index(drop=True)


def rule_path(result: MineResult, X_row: pd.DataFrame) -> RulePath:
    """The decision tree's path for one row, conditions on one column merged: "RM > 6.9 and LSTAT ≤ 4.6 → 45.6"."""
    pipe = result.models["tree"]
    clean, tree = pipe.named_steps["clean"], pipe.named_steps["model"]
    selected = pipe.named_steps["select"].transform(X_row)
    Xt = np.asarray(clean.transform(selected), dtype=np.float64)
    names = [str(n) for n in clean.get_feature_names_out()]
    categories = _category_lists(clean)
    nodes = tree.decision_path(Xt).indices
    bounds: dict[str, list[float | None]] = {}
    sets: dict[str, set[str]] = {}
    for node in nodes[:-1]:
        j = int(tree.tree_.feature[node])
        threshold = float(tree.tree_.threshold[node])
        name = names[j]
        left = Xt[0, j] <= threshold
        if name in categories:
            cats = categories[name]
            cut = int(math.floor(threshold)) + 1
            allowed = set(cats[:cut]) if left else set(cats[cut:])
            sets[name] = sets.get(name, set(cats)) & allowed
            continue
        low, high = bounds.setdefault(name, [None, None])
        if left:
            bounds[name][1] = threshold if high is None else min(high, threshold)
        else:
            bounds[name][0] = threshold if low is None else max(low, threshold)
    steps = []
    for name, (low, high) in bounds.items():
        if low is not None and high is not None:
            text = t("{low} < {feature} ≤ {high}", low=_num(low), feature=name, high=_num(high))
        elif high is not None:
            text = t("{feature} ≤ {value}", feature=name, value=_num(high))
        else:
            text = t("{feature} > {value}", feature=name, value=_num(low))
        steps.append(PathStep(name, text))
    for name, allowed in sets.items():
        shown = ", ".join(sorted(allowed)[:6]) + (" …" if len(allowed) > 6 else "")
        steps.append(PathStep(name, t("{feature} is one of {values}", feature=name, values=shown)))
    leaf = int(nodes[-1])
    value = tree.tree_.value[leaf]
    if result.task == CLASSIFICATION:
        shares = value.ravel() / value.sum()
        k = int(np.argmax(shares))
        outcome = t("{label} ({share} of {n} training rows)", label=str(tree.classes_[k]), share=f"{shares[k]:.0%}",
                    n=int(tree.tree_.n_node_samples[leaf]))
    else:
        outcome = f"{float(value.ravel()[0]):.4g}"
    if not steps:
        words = t("every row → {value}", value=outcome)
    else:
        words = t("{conditions} → {value}", conditions=t(" and ").join(s.text for s in steps), value=outcome)
    return RulePath(steps, outcome, words)


def _category_lists(clean: Any) -> dict[str, list[str]]:
    """Output column → its categories in code order, for ordinal-encoded columns."""
    out = {}
    for name, transformer, columns in clean.transformers_:
        if name != "cat" or transformer == "drop" or not len(columns):
            continue
        encoder = transformer.named_steps["ordinal"]
        for column, cats in zip(columns, encoder.categories_):
            out[str(column)] = [str(c) for c in cats]
    return out


def _num(value: float) -> str:
    return f"{value:.4g}"


def importances(result: MineResult) -> dict[str, dict[str, float]]:
    """Per model input column: the tree's and the forest's impurity importances, mutual information and
    permutation importance (held-out fold), side by side."""
    out = {c: dict(v) for c, v in result.ranking.items()}
    for name in ("tree", "forest"):
        pipe = result.models.get(name)
        if pipe is None:
            continue
        names = [str(n) for n in pipe.named_steps["clean"].get_feature_names_out()]
        for column, value in zip(names, pipe.named_steps["model"].feature_importances_):
            out.setdefault(column, {})[name] = float(value)
    return out


def predict_frame(result: MineResult, X: pd.DataFrame, model: str | None = None) -> tuple[np.ndarray,
                                                                                           np.ndarray | None]:
    """Predictions of ``model`` (the recommended one by default) and, for classification, the probabilities."""
    pipe = result.models[model or result.best]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pred = pipe.predict(X)
        proba = pipe.predict_proba(X) if result.task == CLASSIFICATION and hasattr(pipe, "predict_proba") else None
    return pred, proba


@dataclass(frozen=True)
class WhatIf:
    """One row's "what if" sweep of one model input column, everything else held as the row has it."""

    column: str
    numeric: bool
    xs: list[Any]  # the swept values: numbers over the observed range, or the most common categories
    curves: dict[str, list[float]]  # model → prediction (classification: probability of ``positive``)
    current: Any  # the row's own value of ``column`` (None when missing)
    best: str  # the recommended model
    positive: str | None = None  # classification: the class whose probability is shown


def observed_values(table: Table, result: MineResult, column: str) -> pd.Series:
    """The values the models saw in model input ``column`` (a table column, or a date's year / month / weekday)."""
    base = column if column in table.kinds else column.rsplit(".", 1)[0]
    if base not in table.kinds or base not in result.roles.features:
        raise InputError("{column} is not one of the models' input columns.", column=column)
    return model_frame(table.frame, table.kinds, [base])[column]


def what_if(result: MineResult, X_row: pd.DataFrame, column: str, observed: pd.Series, n: int = 40,
            positive: str | None = None) -> tuple[list[Any], dict[str, list[float]]]:
    """Sweep ``column`` over its observed range (its distinct values when there are at most ``n``, e.g. a
    month or a count), or over its 20 most common categories, the rest of the row fixed; each model's
    prediction. Classification: the probability of ``positive`` (default: the last class)."""
    if pd.api.types.is_numeric_dtype(observed):
        values = observed.dropna().to_numpy(dtype=np.float64)
        distinct = np.unique(values)
        if len(distinct) <= n:
            xs: list[Any] = distinct.tolist()
        else:
            xs = np.linspace(values.min(), values.max(), n).tolist() if len(values) else []
    else:
        xs = [str(v) for v in observed.dropna().astype(str).value_counts().index[:20]]
    sweep = pd.concat([X_row] * len(xs), ignore_index=True) if xs else X_row.iloc[:0]
    if xs:
        sweep[column] = pd.Series(xs, dtype=np.float64 if pd.api.types.is_numeric_dtype(observed) else object)
    shown = positive or (result.classes[-1] if result.classes else None)
    curves = {}
    for name in result.models:
        pred, proba = predict_frame(result, sweep, name)
        if result.task == CLASSIFICATION and proba is not None:
            classes = [str(c) for c in result.models[name].classes_]
            curves[name] = proba[:, classes.index(shown)].tolist() if shown in classes else []
        else:
            curves[name] = np.asarray(pred, dtype=np.float64).tolist()
    return xs, curves


def what_if_row(table: Table, result: MineResult, row: int, column: str) -> WhatIf:
    """The sweep for row ``row`` (0-based): for classification, of the probability of the class the
    recommended model predicts for that row (of the last class when there are two, for a steady reading)."""
    X_row = row_inputs(table, result, row)
    observed = observed_values(table, result, column)
    positive = None
    if result.task == CLASSIFICATION and result.classes:
        pred, _ = predict_frame(result, X_row)
        positive = result.classes[-1] if len(result.classes) == 2 else str(pred[0])
    xs, curves = what_if(result, X_row, column, observed, positive=positive)
    value = X_row[column].iloc[0]
    current = None if value is None or (isinstance(value, float) and math.isnan(value)) else value
    numeric = bool(pd.api.types.is_numeric_dtype(observed))
    return WhatIf(column, numeric, xs, curves, float(current) if numeric and current is not None else current,
                  result.best, positive)


def depth_curve_task(prepared: Prepared, result: MineResult, depths: range = range(1, 13),
                     min_leaf: int | None = None) -> Task[list[dict[str, float]]]:
    """The tree's training and cross-validated score against its depth: overfitting made visible.
    Each fold's pipeline is fitted on its training rows only; ``min_leaf`` defaults to the mined tree's."""
    from dataclasses import replace

    rows = cv_sample(prepared, result.settings.cv_max_rows)
    X, y = prepared.X.iloc[rows].reset_index(drop=True), prepared.y[rows]
    task = prepared.roles.task
    y = y.astype(str) if task == CLASSIFICATION else y
    metric = "balanced_accuracy" if task == CLASSIFICATION else "mse"
    folds = folds_for(y, task, result.settings.folds)
    leaf = result.settings.sizes.tree_min_leaf if min_leaf is None else int(min_leaf)
    curve = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i, depth in enumerate(depths):
            sizes = replace(result.settings.sizes, tree_depth=depth, tree_min_leaf=leaf)
            scores, train_scores = [], []
            for train, test in folds:
                pipe = make_pipeline("tree", task, sizes, result.settings.top_k, result.settings.impute)
                pipe.fit(X.iloc[train], y[train])
                scores.append(fold_scores(task, y[test], pipe.predict(X.iloc[test]), None, result.classes)[metric])
                train_scores.append(fold_scores(task, y[train], pipe.predict(X.iloc[train]), None,
                                                result.classes)[metric])
            curve.append({"depth": depth, "train": float(np.mean(train_scores)), "cv": float(np.mean(scores)),
                          "metric": metric, "min_leaf": leaf})
            yield Progress((i + 1) / len(depths), t("Depth {depth}", depth=depth), "depth")
    return curve


def depth_lab_task(table: Table, result: MineResult, min_leaf: int | None = None,
                   depths: range = range(1, 13)) -> Task[list[dict[str, float]]]:
    """``depth_curve_task`` from the table and its mining result (the same rows, roles and folds)."""
    yield Progress(0.0, t("Preparing the rows for the depth lab…"), "stage")
    prepared = prepare(table, result.roles, result.settings.impute)
    return (yield from depth_curve_task(prepared, result, depths, min_leaf))


def top_k_task(table: Table, result: MineResult, k: int, model: str | None = None) -> Task[dict[str, Any]]:
    """The cross-validated score of ``model`` (the recommended one) keeping only the ``k`` input columns with
    the most mutual information — chosen inside each training fold — beside its score with every column."""
    from dataclasses import replace

    name = model or result.best
    if k < 1:
        raise InputError("Keep at least one feature, not {k}.", k=k)
    yield Progress(0.0, t("Preparing the rows…"), "stage")
    prepared = prepare(table, result.roles, result.settings.impute)
    settings = replace(result.settings, models=(name,), top_k=k)
    out = yield from cross_validate_task(prepared, settings)
    mean, _ = summarise(out["scores"])
    metric = "balanced_accuracy" if result.task == CLASSIFICATION else "mse"
    ranked = sorted(result.ranking, key=lambda c: -result.ranking[c].get("mutual_information", 0.0))
    return {"k": min(k, len(prepared.X.columns)), "of": len(prepared.X.columns), "model": name, "metric": metric,
            "all_columns": float(result.cv[name][metric]), "top_k": float(mean[name][metric]),
            "columns": ranked[:k]}
