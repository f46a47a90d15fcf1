"""Mining a table: roles → leakage check → cleaning pipeline → 5-fold cross-validation of each model
→ feature ranking → final models on all rows → the recommended model with its reason.

A long task (generator): it yields ``Progress`` with the fraction and an ETA and returns a
``MineResult``. Above ``CV_MAX_ROWS`` rows the cross-validation uses a sample of that many rows; the
final models learn from all rows, the forest within the size rules of ``pipeline.forest_shape``.
Every rule that applies is a notice the person reads (``size_notices``).
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from engine.core.errors import InputError
from engine.core.i18n import t
from engine.core.tasks import Progress, Task
from engine.tables.leakage import LeakFlag, find_leaks
from engine.tables.pipeline import (FOREST_MAX_SAMPLES, IMPUTE_CHOICES, LARGE_TABLE_ROWS, MODEL_NAMES, SEED,
                                    TREE_MODELS, ModelSizes, forest_shape, make_pipeline, model_label,
                                    mutual_information, outlier_counts, single_threaded)
from engine.tables.profile import ColumnProfile, profile_table
from engine.tables.roles import CLASSIFICATION, MAX_CLASSES, RoleChoice, Roles, model_frame, suggest_roles, \
    reason_text, target_values, without
from engine.tables.settings import CV_MAX_ROWS, MineSettings, metric_label  # noqa: F401
from engine.tables.table import Table

MIN_ROWS = 20
REGRESSION_METRICS = ("mse", "mae", "r2")
CLASSIFICATION_METRICS = ("accuracy", "balanced_accuracy", "f1_macro", "roc_auc")


@dataclass
class Prepared:
    """The rows and columns the models see, and how they were chosen from the table."""

    roles: Roles
    X: pd.DataFrame
    y: np.ndarray
    rows_read: int
    dropped_target: int
    dropped_missing: int
    imputed: dict[str, int]  # model input column → cells the imputer fills
    leaks: list[LeakFlag]
    outliers: dict[str, int]


@dataclass
class MineResult:
    table_name: str
    roles: Roles
    rows_read: int
    rows_used: int
    cv_rows: int
    dropped_target: int
    dropped_missing: int
    imputed: dict[str, int]
    leaks: list[LeakFlag]
    outliers: dict[str, int]
    cv: dict[str, dict[str, float]]  # model → metric → mean over the folds
    cv_std: dict[str, dict[str, float]]
    confusion: dict[str, list[list[int]]]  # model → out-of-fold confusion matrix (classification)
    classes: list[str]
    best: str
    best_reason: str
    ranking: dict[str, dict[str, float]]  # model input column → {"mutual_information", "permutation"}
    permutation_model: str
    models: dict[str, Any]  # model → pipeline fitted on all rows
    input_columns: list[str]  # the models' input columns (dates expanded)
    settings: MineSettings
    notices: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def task(self) -> str:
        return self.roles.task

    @property
    def target(self) -> str:
        return self.roles.target


def prepare(table: Table, roles: Roles, impute: str = "median") -> Prepared:
    """Drop rows without a target (counted), flag leaking columns and leave them out unless kept."""
    if impute not in IMPUTE_CHOICES:
        raise InputError("Missing values are imputed (median) or their rows dropped (drop), not {value!r}.",
                         value=impute)
    y, present = target_values(table.frame, table.kinds, roles)
    dropped_target = int((~present).sum())
    frame = table.frame[present] if dropped_target else table.frame
    y = y[present]
    if len(y) < MIN_ROWS:  # before any model (the leakage check) runs on too few rows
        raise InputError("At least {min} rows with a target are needed to mine a table, not {n}.", min=MIN_ROWS,
                         n=len(y))
    if roles.task == CLASSIFICATION:
        n_classes = len(pd.unique(y))
        if n_classes < 2:
            raise InputError("{column} has only one value in the rows used; there is nothing to classify.",
                             column=roles.target)
        if n_classes > MAX_CLASSES:
            raise InputError("{column} has {n} different values: too many classes. If it is a number to predict, "
                             "use --task regression.", column=roles.target, n=n_classes)
    leaks = find_leaks(frame[list(roles.features)], y, roles) if roles.features else []
    for flag in leaks:
        if not flag.kept:
            roles = without(roles, flag.column, "leakage")
    if not roles.features:
        scores = {f.column: f"{metric_label(f.metric)} {f.score:.3f}" for f in leaks}
        reasons = [(c, reason_text(r) + (f" ({scores[c]})" if c in scores else "")) for c, r in roles.ignored]
        why = "; ".join(t("{column}: {reason}", column=c, reason=r) for c, r in reasons) or t(
            "the table has no other column")
        raise InputError("No feature columns are left to learn {column} from — {why}. Keep one on purpose with "
                         "--keep COL (in the window: set its role to feature).", column=roles.target, why=why)
    X = model_frame(frame, table.kinds, roles.features)
    dropped_missing = 0
    if impute == "drop":
        complete = X.notna().all(axis=1).to_numpy()
        dropped_missing = int((~complete).sum())
        X, y = X[complete], y[complete]
    imputed = {str(c): int(n) for c, n in X.isna().sum().items() if n}
    if len(y) < MIN_ROWS:
        raise InputError("At least {min} rows with a target are needed to mine a table, not {n}.", min=MIN_ROWS,
                         n=len(y))
    X = X.reset_index(drop=True)
    return Prepared(roles, X, y, table.rows, dropped_target, dropped_missing, imputed, leaks, outlier_counts(X))


def size_notices(rows: int, settings: MineSettings) -> list[str]:
    """Every size rule that applies to ``rows`` rows, in the person's words (the rules: ``settings``)."""
    notices = []
    if rows > settings.cv_max_rows:
        notices.append(t("Cross-validation uses a sample of {sample} of the {n} rows (the final models learn from "
                         "all of them).", sample=f"{settings.cv_max_rows:,}", n=f"{rows:,}"))
    if "forest" in settings.models:
        trees, per_tree = forest_shape(settings.sizes, rows, final=True)
        if isinstance(per_tree, int):
            notices.append(t("Above {limit} rows, each tree of the final random forest learns from {per_tree} rows "
                             "drawn at random (together the trees see all {n}).", limit=f"{2 * FOREST_MAX_SAMPLES:,}",
                             per_tree=f"{per_tree:,}", n=f"{rows:,}"))
        if trees < settings.sizes.n_trees:
            notices.append(t("Above {limit} rows, the final random forest grows {trees} trees instead of {full}.",
                             limit=f"{LARGE_TABLE_ROWS:,}", trees=trees, full=settings.sizes.n_trees))
    return notices


def cv_sample(prepared: Prepared, max_rows: int) -> np.ndarray:
    """Rows the cross-validation uses: all, or a (stratified) sample of ``max_rows``."""
    n = len(prepared.y)
    if n <= max_rows:
        return np.arange(n)
    from sklearn.model_selection import train_test_split

    stratify = prepared.y if prepared.roles.task == CLASSIFICATION and _can_stratify(prepared.y, 2) else None
    rows, _ = train_test_split(np.arange(n), train_size=max_rows, random_state=SEED, stratify=stratify)
    return np.sort(rows)


def _can_stratify(y: np.ndarray, folds: int) -> bool:
    _, counts = np.unique(y.astype(str), return_counts=True)
    return counts.min() >= folds


def folds_for(y: np.ndarray, task: str, k: int = 5) -> list[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import KFold, StratifiedKFold

    if task == CLASSIFICATION and _can_stratify(y, k):
        return list(StratifiedKFold(k, shuffle=True, random_state=SEED).split(np.zeros(len(y)), y.astype(str)))
    return list(KFold(k, shuffle=True, random_state=SEED).split(np.zeros(len(y))))


def fold_scores(task: str, y_true: np.ndarray, pred: np.ndarray, proba: np.ndarray | None,
                classes: list[str]) -> dict[str, float]:
    from sklearn import metrics

    if task != CLASSIFICATION:
        return {"mse": float(metrics.mean_squared_error(y_true, pred)),
                "mae": float(metrics.mean_absolute_error(y_true, pred)),
                "r2": float(metrics.r2_score(y_true, pred))}
    scores = {"accuracy": float(metrics.accuracy_score(y_true, pred)),
              "balanced_accuracy": float(metrics.balanced_accuracy_score(y_true, pred)),
              "f1_macro": float(metrics.f1_score(y_true, pred, average="macro", zero_division=0)),
              "roc_auc": float("nan")}
    if proba is not None:
        try:
            if len(classes) == 2:
                scores["roc_auc"] = float(metrics.roc_auc_score(y_true == classes[1], proba[:, 1]))
            else:
                scores["roc_auc"] = float(metrics.roc_auc_score(y_true, proba, multi_class="ovr", labels=classes))
        except ValueError:  # a class absent from this held-out fold
            pass
    return scores


def cross_validate_task(prepared: Prepared, settings: MineSettings, keep_fold_models: bool = False
                        ) -> Task[dict[str, Any]]:
    """Each model's fold scores, out-of-fold predictions and (optionally) its fitted fold pipelines.

    Every fold fits the whole pipeline — selection, imputer, encoder, scaler, model — on its training
    rows only, then scores the held-out rows.
    """
    from threadpoolctl import threadpool_limits

    rows = cv_sample(prepared, settings.cv_max_rows)
    X, y, task = prepared.X.iloc[rows].reset_index(drop=True), prepared.y[rows], prepared.roles.task
    y = y.astype(str) if task == CLASSIFICATION else y
    classes = sorted(pd.unique(y).tolist()) if task == CLASSIFICATION else []
    folds = folds_for(y, task, settings.folds)
    out: dict[str, Any] = {"rows": rows, "folds": folds, "scores": {}, "oof": {}, "fold_models": {},
                           "classes": classes, "permutation": {}, "permutation_model": ""}
    total, done, started = len(settings.models) * len(folds), 0, time.perf_counter()
    permutation_for = next((m for m in ("boosting", "forest", "tree") if m in settings.models), "")
    with threadpool_limits(limits=1, user_api="openmp"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in settings.models:
            per_fold, oof = [], np.empty(len(y), dtype=object if task == CLASSIFICATION else np.float64)
            for f_i, (train, test) in enumerate(folds):
                pipe = make_pipeline(name, task, settings.sizes, settings.top_k, settings.impute, rows=len(train))
                single_threaded(pipe.fit(X.iloc[train], y[train]))  # summed in one order: the same scores each run
                pred = pipe.predict(X.iloc[test])
                proba = _proba(pipe, X.iloc[test], classes) if task == CLASSIFICATION else None
                per_fold.append(fold_scores(task, y[test], pred, proba, classes))
                oof[test] = pred
                if keep_fold_models:
                    out["fold_models"].setdefault(name, []).append(pipe)
                if name == permutation_for and f_i == 0:
                    out["permutation"] = _permutation(pipe, X.iloc[test], y[test], task)
                    out["permutation_model"] = name
                done += 1
                spent = time.perf_counter() - started
                yield Progress(done / total, t("Cross-validating {model}: fold {fold}/{folds}", model=model_label(name),
                                               fold=f_i + 1, folds=len(folds)), "cv",
                               {"eta_seconds": spent / done * (total - done), "model": name})
            out["scores"][name] = per_fold
            out["oof"][name] = oof
    return out


def final_models_task(prepared: Prepared, settings: MineSettings, start: float = 0.0, end: float = 1.0,
                      names: tuple[str, ...] | None = None) -> Task[dict[str, Any]]:
    """The models (``names``, default all of ``settings.models``) fitted on all rows, as mining keeps them."""
    from threadpoolctl import threadpool_limits

    names = settings.models if names is None else names
    models: dict[str, Any] = {}
    cleaned: dict[str, tuple] = {}
    task = prepared.roles.task
    y_all = prepared.y.astype(str) if task == CLASSIFICATION else prepared.y
    with threadpool_limits(limits=1, user_api="openmp"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i, name in enumerate(names):
            yield Progress(start + (end - start) * i / max(1, len(names)),
                           t("Training the final {model} on all {n} rows…", model=model_label(name),
                             n=f"{len(y_all):,}"), "stage")
            pipe = make_pipeline(name, task, settings.sizes, settings.top_k, settings.impute, rows=len(y_all),
                                 final=True)
            models[name] = single_threaded(_fit_final(pipe, name, prepared.X, y_all, cleaned))
    return models


def _fit_final(pipe: Any, name: str, X: pd.DataFrame, y: np.ndarray, cleaned: dict[str, tuple]) -> Any:
    """``pipe.fit(X, y)``, with the selection and cleaning fitted once for the three tree models.

    Their first two steps are the same estimators with the same settings on the same rows, so the
    fitted ones are shared and only the model is fitted: the same result, without cleaning every row
    three times."""
    kind = "network" if name == "mlp" else "trees"
    if kind in cleaned:
        select, clean, Xt = cleaned[kind]
        pipe.steps[0], pipe.steps[1] = ("select", select), ("clean", clean)
    else:
        Xt = pipe[:-1].fit_transform(X, y)
        cleaned[kind] = (pipe.named_steps["select"], pipe.named_steps["clean"], Xt)
    pipe.steps[-1][1].fit(Xt, y)
    return pipe


def _proba(pipe: Any, X: pd.DataFrame, classes: list[str]) -> np.ndarray | None:
    if not hasattr(pipe, "predict_proba"):
        return None
    proba = pipe.predict_proba(X)
    model_classes = [str(c) for c in pipe.classes_]
    full = np.zeros((len(X), len(classes)))
    for j, c in enumerate(model_classes):
        full[:, classes.index(c)] = proba[:, j]
    return full


def _permutation(pipe: Any, X: pd.DataFrame, y: np.ndarray, task: str, max_rows: int = 2000) -> dict[str, float]:
    from sklearn.inspection import permutation_importance

    X, y = X.iloc[:max_rows], y[:max_rows]
    scoring = "balanced_accuracy" if task == CLASSIFICATION else "r2"
    result = permutation_importance(pipe, X, y, n_repeats=3, random_state=SEED, scoring=scoring)
    return {str(c): float(v) for c, v in zip(X.columns, result.importances_mean)}


def summarise(scores: dict[str, list[dict[str, float]]]) -> tuple[dict[str, dict[str, float]],
                                                                  dict[str, dict[str, float]]]:
    mean, std = {}, {}
    for name, per_fold in scores.items():
        keys = per_fold[0].keys()
        mean[name] = {k: float(np.nanmean([f[k] for f in per_fold])) if any(np.isfinite(f[k]) for f in per_fold)
                      else float("nan") for k in keys}
        std[name] = {k: float(np.nanstd([f[k] for f in per_fold])) if any(np.isfinite(f[k]) for f in per_fold)
                     else float("nan") for k in keys}
    return mean, std


def recommend(cv: dict[str, dict[str, float]], task: str) -> tuple[str, str]:
    """The model to use and why, in one line; the readable tree when it is nearly as good."""
    metric = "balanced_accuracy" if task == CLASSIFICATION else "mse"
    better_high = task == CLASSIFICATION
    ranked = sorted(cv, key=lambda m: -cv[m][metric] if better_high else cv[m][metric])
    best = ranked[0]
    value = cv[best][metric]
    if best != "tree" and "tree" in cv:
        tree = cv["tree"][metric]
        close = (value - tree <= 0.01) if better_high else (tree <= value * 1.02)
        if close:
            return "tree", t("Decision tree: within {gap} of the best cross-validated {metric} ({model}, {value}), and "
                             "its rules can be read.", gap=_fmt(abs(value - tree)), metric=metric_label(metric),
                             model=model_label(best), value=_fmt(value))
    if len(ranked) == 1:
        return best, t("{model}: the only model cross-validated ({metric} {value}).", model=model_label(best),
                       metric=metric_label(metric), value=_fmt(value))
    runner = ranked[1]
    return best, t("{model}: the best cross-validated {metric} ({value}), ahead of {runner} ({runner_value}).",
                   model=model_label(best), metric=metric_label(metric), value=_fmt(value), runner=model_label(runner),
                   runner_value=_fmt(cv[runner][metric]))


def _fmt(value: float) -> str:
    return f"{value:.4g}"


def confusion(y: np.ndarray, pred: np.ndarray, classes: list[str]) -> list[list[int]]:
    from sklearn.metrics import confusion_matrix

    return confusion_matrix(y.astype(str), pred.astype(str), labels=classes).tolist()


def mine_task(table: Table, choice: RoleChoice, settings: MineSettings | None = None,
              profiles: list[ColumnProfile] | None = None) -> Task[MineResult]:
    """Everything from the table to the recommended model; the GUI runs it in the TensorFlow worker."""
    settings = settings or MineSettings()
    unknown = [m for m in settings.models if m not in MODEL_NAMES]
    if unknown or not settings.models:
        raise InputError("Unknown model {name}; the models are {names}.", name=", ".join(unknown) or "-",
                         names=", ".join(MODEL_NAMES))
    started = time.perf_counter()
    yield Progress(0.0, t("Checking the columns for target leakage…"), "stage")
    profiles = profiles or profile_table(table)
    roles = suggest_roles(table, profiles, choice.target, choice.task, tuple(choice.ignore), tuple(choice.keep))
    prepared = prepare(table, roles, settings.impute)
    notices = []
    for flag in prepared.leaks:
        if not flag.kept:
            notices.append(t("{column} predicts {target} almost perfectly on its own ({metric} {score}): it looks "
                             "like target leakage and is left out. Keep it on purpose with --keep {column}.",
                             column=flag.column, target=roles.target, metric=metric_label(flag.metric),
                             score=f"{flag.score:.3f}"))
    if prepared.dropped_target:
        notices.append(t("{n} rows without a value of {target} were left out.", n=prepared.dropped_target,
                         target=roles.target))
    notices.extend(size_notices(len(prepared.y), settings))
    cv_share = 0.85
    cv_out = None
    task = cross_validate_task(prepared, settings)
    try:
        while True:
            p = next(task)
            yield replace(p, fraction=(p.fraction or 0.0) * cv_share)
    except StopIteration as stop:
        cv_out = stop.value
    mean, std = summarise(cv_out["scores"])
    best, reason = recommend(mean, roles.task)
    classes = cv_out["classes"]
    conf = {}
    if roles.task == CLASSIFICATION:
        y_cv = prepared.y[cv_out["rows"]].astype(str)
        conf = {name: confusion(y_cv, oof, classes) for name, oof in cv_out["oof"].items()}
    yield Progress(cv_share, t("Ranking the features…"), "stage")
    mi = mutual_information(prepared.X, prepared.y, roles.task)
    ranking = {c: {"mutual_information": mi.get(c, 0.0), "permutation": cv_out["permutation"].get(c, float("nan"))}
               for c in prepared.X.columns}
    models = yield from final_models_task(prepared, settings, cv_share, 1.0)
    yield Progress(1.0, t("Mining done."), "stage")
    return MineResult(table.name, prepared.roles, prepared.rows_read, len(prepared.y), len(cv_out["rows"]),
                      prepared.dropped_target, prepared.dropped_missing, prepared.imputed, prepared.leaks,
                      prepared.outliers, mean, std, conf, classes, best, reason, ranking, cv_out["permutation_model"],
                      models, list(prepared.X.columns), settings, notices, time.perf_counter() - started)
