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
from engine.tables.mining import MineResult, Prepared, cv_sample, fold_scores, folds_for
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


def what_if(result: MineResult, X_row: pd.DataFrame, column: str, observed: pd.Series, n: int = 40
            ) -> tuple[list[Any], dict[str, list[float]]]:
    """Sweep ``column`` over its observed range (or its categories), the rest of the row fixed; each
    model's prediction (classification: the probability of the first class shown in the result)."""
    if pd.api.types.is_numeric_dtype(observed):
        values = observed.dropna().to_numpy(dtype=np.float64)
        xs: list[Any] = np.linspace(values.min(), values.max(), n).tolist() if len(values) else []
    else:
        xs = [str(v) for v in observed.dropna().astype(str).value_counts().index[:20]]
    sweep = pd.concat([X_row] * len(xs), ignore_index=True) if xs else X_row.iloc[:0]
    if xs:
        sweep[column] = xs
    curves = {}
    for name in result.models:
        pred, proba = predict_frame(result, sweep, name)
        if result.task == CLASSIFICATION and proba is not None:
            classes = [str(c) for c in result.models[name].classes_]
            positive = result.classes[-1] if result.classes else classes[-1]
            curves[name] = proba[:, classes.index(positive)].tolist() if positive in classes else []
        else:
            curves[name] = np.asarray(pred, dtype=np.float64).tolist()
    return xs, curves


def depth_curve_task(prepared: Prepared, result: MineResult, depths: range = range(1, 13)
                     ) -> Task[list[dict[str, float]]]:
    """The tree's training and cross-validated score against its depth: overfitting made visible."""
    from dataclasses import replace

    rows = cv_sample(prepared, result.settings.cv_max_rows)
    X, y = prepared.X.iloc[rows].reset_index(drop=True), prepared.y[rows]
    task = prepared.roles.task
    y = y.astype(str) if task == CLASSIFICATION else y
    metric = "balanced_accuracy" if task == CLASSIFICATION else "mse"
    folds = folds_for(y, task, result.settings.folds)
    curve = []
    for i, depth in enumerate(depths):
        sizes = replace(result.settings.sizes, tree_depth=depth)
        scores, train_scores = [], []
        for train, test in folds:
            pipe = make_pipeline("tree", task, sizes, result.settings.top_k, result.settings.impute)
            pipe.fit(X.iloc[train], y[train])
            scores.append(fold_scores(task, y[test], pipe.predict(X.iloc[test]), None, result.classes)[metric])
            train_scores.append(fold_scores(task, y[train], pipe.predict(X.iloc[train]), None, result.classes)[metric])
        curve.append({"depth": depth, "train": float(np.mean(train_scores)), "cv": float(np.mean(scores)),
                      "metric": metric})
        yield Progress((i + 1) / len(depths), t("Depth {depth}", depth=depth), "depth")
    return curve
