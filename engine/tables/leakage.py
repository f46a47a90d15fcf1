"""Target leakage, flagged before any training: a column that on its own predicts the target almost
perfectly (a copy or a re-coding of it, as "alive" is of "survived").

Each candidate feature alone is scored by a small decision tree in 3-fold cross-validation on up
to ``SAMPLE_ROWS`` rows: balanced accuracy for classification, R² for regression. A score of
``LEAK_SCORE`` or more names the column; it is left out by default and can be kept on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from engine.tables.roles import CLASSIFICATION, Roles

LEAK_SCORE = 0.97
SAMPLE_ROWS = 5000
SEED = 0


@dataclass(frozen=True)
class LeakFlag:
    column: str
    score: float  # the single column's cross-validated score
    metric: str  # "balanced_accuracy" | "r2"
    kept: bool = False  # the person kept it on purpose


def single_column_scores(X: pd.DataFrame, y: np.ndarray, task: str) -> dict[str, float]:
    """Each input column's cross-validated score on its own (rows with the target present)."""
    from sklearn.metrics import balanced_accuracy_score, r2_score
    from sklearn.model_selection import KFold, StratifiedKFold
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    rng = np.random.default_rng(SEED)
    rows = np.arange(len(y)) if len(y) <= SAMPLE_ROWS else np.sort(rng.choice(len(y), SAMPLE_ROWS, replace=False))
    y = y[rows]
    if task == CLASSIFICATION:
        _, counts = np.unique(y.astype(str), return_counts=True)
        if len(counts) < 2:
            return {}
        splitter = StratifiedKFold(3, shuffle=True, random_state=SEED) if counts.min() >= 3 else \
            KFold(3, shuffle=True, random_state=SEED)
        y = y.astype(str)
    else:
        splitter = KFold(3, shuffle=True, random_state=SEED)
    folds = list(splitter.split(rows, y))
    scores = {}
    for name in X.columns:
        x = _as_number(X[name].iloc[rows]).reshape(-1, 1)
        fold_scores = []
        for train, test in folds:
            if task == CLASSIFICATION:
                model = DecisionTreeClassifier(max_depth=8, min_samples_leaf=2, random_state=SEED)
                pred = model.fit(x[train], y[train]).predict(x[test])
                fold_scores.append(balanced_accuracy_score(y[test], pred))
            else:
                model = DecisionTreeRegressor(max_depth=8, min_samples_leaf=2, random_state=SEED)
                pred = model.fit(x[train], y[train]).predict(x[test])
                fold_scores.append(r2_score(y[test], pred))
        scores[str(name)] = float(np.mean(fold_scores))
    return scores


def _as_number(values: pd.Series) -> np.ndarray:
    if pd.api.types.is_datetime64_any_dtype(values):
        days = values.to_numpy().astype("datetime64[D]")
        return np.where(np.isnat(days), np.nan, days.astype(np.int64)).astype(np.float64)
    if pd.api.types.is_numeric_dtype(values):
        return values.to_numpy(dtype=np.float64)
    codes, _ = pd.factorize(values.astype(object), use_na_sentinel=True)
    return np.where(codes < 0, np.nan, codes).astype(np.float64)


def find_leaks(columns: pd.DataFrame, y: np.ndarray, roles: Roles) -> list[LeakFlag]:
    """The input columns (as read) that leak the target, best first; those in ``roles.kept`` are marked kept."""
    metric = "balanced_accuracy" if roles.task == CLASSIFICATION else "r2"
    flags = [LeakFlag(column, round(score, 4), metric, column in roles.kept)
             for column, score in single_column_scores(columns, y, roles.task).items() if score >= LEAK_SCORE]
    return sorted(flags, key=lambda f: -f.score)
