"""The table half of a comparison on the person's own table: the Tables engine's preparation, one set
of cross-validation folds per training size for every model, a learning curve over rows.

- Rows and columns as the Tables workspace mines them (``engine.tables.mining.prepare``: the roles the
  person chose, rows without a target left out, leaking columns left out unless kept). Above
  ``CV_MAX_ROWS`` rows a (stratified) sample of that many, as mining's cross-validation does.
- The trees are the Tables' own pipelines (``make_pipeline``): selection, imputer and encoder fitted
  inside each training fold. The network is Compare's (the app's one Keras loop, cancellable within a
  fraction of a second, one compiled network reused per run) on the Tables' network cleaning (imputer,
  scaler, one-hot) fitted on the same training fold. It gets the fold's rows as explicit indices and
  draws its early-stopping rows from them, so every model of a size learns from exactly the same rows
  and is scored on exactly the same held-out rows (the Tables' ``KerasMLP`` samples its own rows above
  ``mlp_max_rows`` and takes Keras' ``validation_split`` tail, so its rows would not be the trees').
- 5 folds, stratified for classification; at the full size with the Tables' seed, so those are Mine's
  folds; smaller sizes subsample each training fold (stratified) and repeat with reshuffled folds.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.compare.cells import CellWork, Clock, Split, sklearn_bytes, sklearn_details, splits_fingerprint
from engine.compare.netfit import StepTrainer, fit_early_stopping, timed_fit
from engine.compare.presets import EXPLANATIONS, ComparePreset
from engine.compare.results import CompareCell, TableInfo
from engine.compare.table_source import TableSource
from engine.core.i18n import t

FOLDS = 5
SPLIT_SEED = 42  # the Tables' seed (engine.tables.pipeline.SEED): the full-size folds are Mine's
IMPUTE = "median"
SECONDARY = {"mse": ("r2", "mae"), "accuracy": ("f1_macro", "balanced_accuracy")}


@dataclass
class TableSetup:
    X: Any  # pandas.DataFrame: the models' input columns (Tables' model_frame)
    y: np.ndarray  # numbers (regression) or class names as str (classification)
    task: str  # "regression" | "classification"
    classes: np.ndarray  # sorted class names; empty for regression
    fingerprint: str
    full_size: int  # rows in the smallest training fold of 5-fold CV
    sizes: list[int]
    info: TableInfo

    @property
    def metric(self) -> str:
        return self.info.metric

    @property
    def classify(self) -> bool:
        return self.task == "classification"


def table_sizes(preset: ComparePreset, full: int) -> list[int]:
    """The preset's row counts, then ×4 steps up to the full training folds (when the preset runs them):
    a 20,000-row table gets 50, 100, 200, 800, 3,200, 12,800 and 16,000 rows in the quick preset."""
    wanted = {s for s in preset.house_sizes if s > 0}
    if preset.houses_full and wanted:
        step = max(wanted)
        while step * 4 < full:
            step *= 4
            wanted.add(step)
    sizes = sorted({min(s, full) for s in wanted})
    if preset.houses_full and full not in sizes:
        sizes.append(full)
    return sizes


def prepare_table(source: TableSource, preset: ComparePreset) -> TableSetup:
    """The rows, columns and sizes of the comparison; what was left out, and why, as notices."""
    from engine.tables.mining import Prepared, cv_sample, prepare
    from engine.tables.profile import profile_table
    from engine.tables.roles import CLASSIFICATION, suggest_roles
    from engine.tables.settings import CV_MAX_ROWS, metric_label

    table, choice = source.table, source.choice
    roles = suggest_roles(table, profile_table(table), choice.target, choice.task, tuple(choice.ignore),
                          tuple(choice.keep))
    prepared: Prepared = prepare(table, roles, IMPUTE)
    roles = prepared.roles
    notices = [t("{column} predicts {target} almost perfectly on its own ({metric} {score}): it looks like target "
                 "leakage and is left out of the comparison, as the Tables workspace does.", column=flag.column,
                 target=roles.target, metric=metric_label(flag.metric), score=f"{flag.score:.3f}")
               for flag in prepared.leaks if not flag.kept]
    if prepared.dropped_target:
        notices.append(t("{n} rows without a value of {target} were left out.", n=prepared.dropped_target,
                         target=roles.target))
    rows = cv_sample(prepared, CV_MAX_ROWS)
    if len(rows) < len(prepared.y):
        notices.append(t("The comparison uses a sample of {sample} of the {n} rows, as the Tables workspace's "
                         "cross-validation does.", sample=f"{len(rows):,}", n=f"{len(prepared.y):,}"))
    classify = roles.task == CLASSIFICATION
    X = prepared.X.iloc[rows].reset_index(drop=True)
    y = prepared.y[rows].astype(str) if classify else prepared.y[rows].astype(np.float64)
    classes = np.array(sorted(set(y.tolist())), dtype=object) if classify else np.array([], dtype=object)
    full = len(y) - -(-len(y) // FOLDS)
    fingerprint = source.fingerprint({"impute": IMPUTE, "max_rows": CV_MAX_ROWS, "folds": FOLDS,
                                      "split_seed": SPLIT_SEED})
    info = TableInfo(table.name, roles.target, roles.task, "accuracy" if classify else "mse", table.rows, len(y),
                     [str(c) for c in X.columns], [str(c) for c in classes], notices, fingerprint)
    return TableSetup(X, y, roles.task, classes, fingerprint, full, table_sizes(preset, full), info)


def _can_stratify(y: np.ndarray) -> bool:
    _, counts = np.unique(y, return_counts=True)
    return len(counts) > 1 and counts.min() >= FOLDS


def _subsample(train: np.ndarray, y: np.ndarray, size: int, classify: bool, key: list[int]) -> np.ndarray:
    """``size`` rows of a training fold, every class in its share when it can be."""
    rng = np.random.default_rng(key)
    if classify:
        from sklearn.model_selection import train_test_split

        try:
            picked, _ = train_test_split(train, train_size=size, stratify=y[train],
                                         random_state=int(rng.integers(2**31 - 1)))
            return np.sort(picked)
        except ValueError:  # a class too rare to split: a plain random sample
            pass
    return np.sort(rng.choice(train, size, replace=False))


def table_splits(setup: TableSetup, size: int, repeats: int, seed: int) -> list[Split]:
    """The (training, held-out) rows of every fit at ``size``; every model of the size gets these."""
    from sklearn.model_selection import KFold, StratifiedKFold

    y, n = setup.y, len(setup.y)
    stratify = setup.classify and _can_stratify(y)
    out = []
    for r in range(repeats if size < setup.full_size else 1):
        kind = StratifiedKFold if stratify else KFold
        folds = kind(FOLDS, shuffle=True, random_state=SPLIT_SEED + r).split(np.zeros(n), y if stratify else None)
        for f, (train, test) in enumerate(folds):
            if size < min(setup.full_size, len(train)):  # the full size keeps each fold whole (Mine's folds)
                train = _subsample(train, y, size, setup.classify, [seed, r, f, size])
            out.append((train, test))
    return out


def table_estimate_seconds(preset: ComparePreset, model: str, size: int, setup: TableSetup) -> float:
    """A rough cost (seconds on two cores) to weigh the cells for the progress bar."""
    fits = FOLDS * (preset.house_repeats if size < setup.full_size else 1)
    width = max(1, setup.X.shape[1])
    sizes = preset.table_model_sizes()
    per_fit = {"tree": 0.02 + 3e-6 * size * width,
               "forest": sizes.n_trees * (1e-3 + 1e-6 * size * np.sqrt(width)),
               "boosting": sizes.boosting_iter * (2e-3 + 2e-7 * size * width)}.get(
        model, 0.5 + preset.house_mlp_max_epochs / 3 * max(1, size // 32) * 4e-4)
    return 0.1 + fits * float(per_fit)


def _scores(setup: TableSetup, y_true: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    from engine.tables.mining import fold_scores

    scores = fold_scores(setup.task, y_true, pred, None, [str(c) for c in setup.classes])
    return {k: v for k, v in scores.items() if k in (setup.metric, *SECONDARY[setup.metric])}


def _network_fold(setup: TableSetup, preset: ComparePreset, train: np.ndarray, test: np.ndarray, size: int,
                  index: int, trainer_for: Callable[[int], StepTrainer], clock: Clock,
                  epochs: list[int]) -> Any:
    """One fit of the network on the fold's rows; yields fractions of the fit, returns (predictions, net,
    prediction seconds)."""
    from engine.tables.pipeline import preprocessor

    with clock, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clean = preprocessor("network", IMPUTE).fit(setup.X.iloc[train], setup.y[train])
        xs = np.asarray(clean.transform(setup.X.iloc[train]), dtype=np.float32)
        xs_test = np.asarray(clean.transform(setup.X.iloc[test]), dtype=np.float32)
        if setup.classify:
            ys = np.searchsorted(setup.classes, setup.y[train]).astype(np.int64)
            my, sy = 0.0, 1.0
        else:
            my, sy = float(setup.y[train].mean()), float(setup.y[train].std()) or 1.0
            ys = ((setup.y[train] - my) / sy).astype(np.float32)
    net = trainer_for(xs.shape[1])
    rng = np.random.default_rng([preset.seed, size, index])
    with clock:
        net.reset(preset.seed * 1000 + index)
    order = rng.permutation(len(ys))
    n_val = max(5, round(0.15 * len(order)))
    fit = fit_early_stopping(net, xs[order[n_val:]], ys[order[n_val:]], xs[order[:n_val]], ys[order[:n_val]],
                             max_epochs=preset.house_mlp_max_epochs, patience=preset.house_mlp_patience, batch=32,
                             rng=rng)
    yield from timed_fit(fit, clock, epochs)
    net.predict(xs_test[:1])  # trace the prediction graph outside the timing
    started = time.perf_counter()
    out = net.predict(xs_test)
    spent = time.perf_counter() - started
    pred = setup.classes[out.argmax(axis=1)] if setup.classify else out[:, 0].astype(np.float64) * sy + my
    return pred, net, spent


def table_cell(name: str, preset: ComparePreset, setup: TableSetup, splits: list[Split], size: int,
               trainer_for: Callable[[int], StepTrainer]) -> CellWork:
    """The cross-validated score over ``splits`` (MSE or accuracy, with R² or macro F1 in the details).

    ``trainer_for(width)`` gives the run's compiled network for that many cleaned inputs (reset per fit).
    """
    from threadpoolctl import threadpool_limits

    from engine.tables.pipeline import make_pipeline

    clock, predict_seconds, predicted, per_fold, last, epochs = Clock(), 0.0, 0, [], None, []
    for i, (train, test) in enumerate(splits):
        if name != "mlp":
            pipe = make_pipeline(name, setup.task, preset.table_model_sizes(), rows=len(train))
            with threadpool_limits(1, "openmp"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                with clock:
                    pipe.fit(setup.X.iloc[train], setup.y[train])
                started = time.perf_counter()
                pred = pipe.predict(setup.X.iloc[test])
                predict_seconds += time.perf_counter() - started
            last = pipe
        else:
            fit = _network_fold(setup, preset, train, test, size, i, trainer_for, clock, epochs)
            while True:
                try:
                    fraction = next(fit)
                except StopIteration as stop:
                    pred, last, spent = stop.value
                    predict_seconds += spent
                    break
                yield (i + fraction) / len(splits) * 0.97
        predicted += len(test)
        per_fold.append(_scores(setup, setup.y[test], np.asarray(pred)))
        yield (i + 1) / len(splits) * 0.97
    values = np.array([f[setup.metric] for f in per_fold], dtype=np.float64)
    details = {k: float(np.nanmean([f[k] for f in per_fold])) for k in SECONDARY[setup.metric]
               if any(np.isfinite(f[k]) for f in per_fold)}
    if name == "mlp":
        size_bytes = last.saved_bytes()
        details |= {"parameters": float(last.n_params()), "epochs": float(np.mean(epochs))}
    else:
        size_bytes = sklearn_bytes(last)
        details |= sklearn_details(name, last.named_steps["model"])
    return CompareCell("table", name, size, float(np.mean(values)), setup.metric, clock.seconds / len(splits),
                       predict_seconds * 1000 / max(1, predicted), size_bytes, EXPLANATIONS[name],
                       score_std=float(np.std(values)), fits=len(splits), details=details,
                       folds=splits_fingerprint(splits))
