"""The cleaning steps and the models as scikit-learn pipelines, so every step that learns from data
(imputer, encoder, scaler, top-k selection) is fitted inside each training fold and nothing of the
held-out fold leaks into it.

Trees get numbers as they are (median-imputed) and categories as ordinal codes; the network gets
standardised numbers and one-hot categories. Outliers are flagged (``outlier_counts``), never removed.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

from engine.tables.roles import CLASSIFICATION
from engine.tables.settings import (FIT_JOBS, FOREST_MAX_SAMPLES, LARGE_TABLE_ROWS, LARGE_TABLE_TREES,
                                     MODEL_LABEL_IDS, MODEL_NAMES, TREE_MODELS, ModelSizes,  # noqa: F401
                                     model_label)

MAX_ONE_HOT = 20  # categories per column for the network; rarer ones share one "infrequent" column
MAX_ORDINAL = 250
IMPUTE_CHOICES = ("median", "drop")
SEED = 42


def _numbers(X: pd.DataFrame) -> list[str]:
    return [c for c in X.columns if pd.api.types.is_numeric_dtype(X[c])]


def _categories(X: pd.DataFrame) -> list[str]:
    return [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c])]


class TopKColumns(BaseEstimator, TransformerMixin):
    """Keep the k input columns with the highest mutual information with the target — measured on
    the rows it is fitted on (the training fold), never on the held-out ones."""

    def __init__(self, k: int | None = None, task: str = CLASSIFICATION) -> None:
        self.k = k
        self.task = task

    def fit(self, X: pd.DataFrame, y: Any = None) -> "TopKColumns":
        if self.k is None or self.k >= X.shape[1]:
            self.columns_ = list(X.columns)
            return self
        scores = mutual_information(X, np.asarray(y), self.task)
        self.columns_ = sorted(scores, key=lambda c: -scores[c])[:max(1, self.k)]
        return self

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        return X[self.columns_]


def mutual_information(X: pd.DataFrame, y: np.ndarray, task: str, max_rows: int = 5000) -> dict[str, float]:
    """Mutual information of each input column with the target (categories as codes, missing imputed)."""
    from sklearn.feature_selection import mutual_info_classif, mutual_info_regression

    rng = np.random.default_rng(SEED)
    rows = np.arange(len(y)) if len(y) <= max_rows else rng.choice(len(y), max_rows, replace=False)
    columns, discrete = [], []
    for c in X.columns:
        values = X[c].iloc[rows]
        if pd.api.types.is_numeric_dtype(values):
            arr = values.to_numpy(dtype=np.float64)
            arr = np.where(np.isnan(arr), np.nanmedian(arr) if np.isfinite(arr).any() else 0.0, arr)
            discrete.append(False)
        else:
            codes, _ = pd.factorize(values.astype(object))
            arr = codes.astype(np.float64)
            discrete.append(True)
        columns.append(arr)
    matrix = np.column_stack(columns) if columns else np.zeros((len(rows), 0))
    target = np.asarray(y)[rows]
    if task == CLASSIFICATION:
        mi = mutual_info_classif(matrix, target.astype(str), discrete_features=np.array(discrete), random_state=SEED)
    else:
        mi = mutual_info_regression(matrix, target.astype(np.float64), discrete_features=np.array(discrete),
                                    random_state=SEED)
    return {str(c): float(v) for c, v in zip(X.columns, mi)}


def preprocessor(kind: str, impute: str = "median") -> Any:
    """``kind`` "trees": median/most-frequent imputation, ordinal codes; "network": + scaling, one-hot."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

    strategy = "median"  # with impute="drop" no row with a missing feature is left; the imputer is then idle
    if kind == "network":
        numbers = Pipeline([("impute", SimpleImputer(strategy=strategy)), ("scale", StandardScaler())])
        categories = Pipeline([("impute", SimpleImputer(strategy="most_frequent", missing_values=None)),
                               ("one_hot", OneHotEncoder(handle_unknown="infrequent_if_exist",
                                                         max_categories=MAX_ONE_HOT, sparse_output=False))])
    else:
        numbers = Pipeline([("impute", SimpleImputer(strategy=strategy))])
        categories = Pipeline([("impute", SimpleImputer(strategy="most_frequent", missing_values=None)),
                               ("ordinal", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1,
                                                          max_categories=MAX_ORDINAL))])
    return ColumnTransformer([("num", numbers, _numbers), ("cat", categories, _categories)],
                             verbose_feature_names_out=False)


def forest_shape(sizes: ModelSizes, rows: int | None, final: bool = False) -> tuple[int, float | int]:
    """(trees, rows per tree) of the forest for ``rows`` training rows: half the rows per tree, at most
    ``FOREST_MAX_SAMPLES``; a final forest above ``LARGE_TABLE_ROWS`` rows has at most ``LARGE_TABLE_TREES``."""
    trees = sizes.n_trees
    if final and rows is not None and rows > LARGE_TABLE_ROWS:
        trees = min(trees, LARGE_TABLE_TREES)
    per_tree: float | int = 0.5
    if rows is not None and rows * 0.5 > FOREST_MAX_SAMPLES:
        per_tree = FOREST_MAX_SAMPLES
    return trees, per_tree


def make_model(name: str, task: str, sizes: ModelSizes, seed: int = SEED, rows: int | None = None,
               final: bool = False) -> Any:
    from sklearn.ensemble import (HistGradientBoostingClassifier, HistGradientBoostingRegressor,
                                  RandomForestClassifier, RandomForestRegressor)
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    classify = task == CLASSIFICATION
    if name == "tree":
        cls = DecisionTreeClassifier if classify else DecisionTreeRegressor
        return cls(max_depth=sizes.tree_depth, min_samples_leaf=sizes.tree_min_leaf, random_state=seed)
    if name == "forest":
        cls = RandomForestClassifier if classify else RandomForestRegressor
        trees, per_tree = forest_shape(sizes, rows, final)
        # the trees are grown on FIT_JOBS threads; each tree's seed is drawn up front, so the forest is the same
        return cls(n_estimators=trees, min_samples_leaf=sizes.forest_min_leaf, max_samples=per_tree,
                   random_state=seed, n_jobs=FIT_JOBS)
    if name == "boosting":
        cls = HistGradientBoostingClassifier if classify else HistGradientBoostingRegressor
        return cls(max_iter=sizes.boosting_iter, learning_rate=0.1, early_stopping=False, random_state=seed)
    if name == "mlp":
        from engine.tables.mlp import KerasMLP

        return KerasMLP(task=task, hidden=sizes.mlp_hidden, epochs=sizes.mlp_epochs, max_rows=sizes.mlp_max_rows,
                        seed=seed)
    raise ValueError(name)


def make_pipeline(name: str, task: str, sizes: ModelSizes, top_k: int | None = None, impute: str = "median",
                  rows: int | None = None, final: bool = False) -> Any:
    """top-k selection → cleaning → model, one estimator fitted as a whole inside each fold.

    ``rows`` (the training rows it will see) and ``final`` (the model kept after cross-validation) let
    the forest follow the size rules of ``forest_shape``."""
    from sklearn.pipeline import Pipeline

    kind = "network" if name == "mlp" else "trees"
    return Pipeline([("select", TopKColumns(top_k, task)), ("clean", preprocessor(kind, impute)),
                     ("model", make_model(name, task, sizes, rows=rows, final=final))])


def single_threaded(pipe: Any) -> Any:
    """A fitted pipeline that predicts on one thread: the window asks it for single rows."""
    model = pipe.named_steps.get("model") if hasattr(pipe, "named_steps") else None
    if model is not None and hasattr(model, "n_jobs"):
        model.set_params(n_jobs=1)
    return pipe


def outlier_counts(X: pd.DataFrame) -> dict[str, int]:
    """Cells beyond 3 inter-quartile ranges of their column's quartiles: flagged for the person, kept."""
    out = {}
    for c in _numbers(X):
        arr = X[c].to_numpy(dtype=np.float64)
        arr = arr[~np.isnan(arr)]
        if len(arr) < 10:
            continue
        q1, q3 = np.percentile(arr, [25, 75])
        iqr = q3 - q1
        if iqr <= 0:
            continue
        n = int(np.sum((arr < q1 - 3 * iqr) | (arr > q3 + 3 * iqr)))
        if n:
            out[str(c)] = n
    return out
