"""Train and measure one cell: score, training time, prediction time, size on disk, explanation.

Each function is a generator that yields the fraction of its own work done (the runner turns
that into ``Progress``) and returns a ``CompareCell`` without its cache key. Times count
computing only: while suspended at a yield the clock is stopped, so a slow consumer does not
make a model look slow.
"""

from __future__ import annotations

import os
import pickle
import time
from collections.abc import Callable, Generator
from typing import Any

import numpy as np

from engine.compare.netfit import StepTrainer, digit_trainer, fit_early_stopping, timed_fit, train_epochs
from engine.compare.presets import EXPLANATIONS, ComparePreset
from engine.compare.results import CompareCell

CellWork = Generator[float, None, CompareCell]
CHUNKS = 10  # a forest grows in about this many pieces, boosting in three; progress in between
# OpenMP threads for gradient boosting's histograms. On small data one: with two threads on two
# cores that are also busy, OpenMP's spin-waiting made boosting 14× slower here (50 s instead of
# 3.6 s for 10 rounds on 2,000 digits). From 10,000 rows on the parallel regions are long enough
# to pay off. The forest uses every core through joblib, the networks through TensorFlow.
PARALLEL_BOOSTING_FROM = 10_000


def boosting_threads(n_rows: int) -> int:
    return 1 if n_rows < PARALLEL_BOOSTING_FROM else max(1, os.cpu_count() or 1)


class Clock:
    """Accumulates the seconds spent inside ``with clock:`` blocks."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._started = 0.0

    def __enter__(self) -> "Clock":
        self._started = time.perf_counter()
        return self

    def __exit__(self, *_: object) -> None:
        self.seconds += time.perf_counter() - self._started


def sklearn_bytes(model: Any) -> int:
    """Size of the model as a file: ``skops`` (the app's safe format) when installed, else pickle.
    Only measured, never loaded."""
    try:
        import skops.io

        return len(skops.io.dumps(model))
    except Exception:  # noqa: BLE001 — skops missing or unable to serialise this model: pickle still measures
        return len(pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL))


def sklearn_details(name: str, model: Any) -> dict[str, float]:
    if name == "tree":
        return {"depth": float(model.get_depth()), "leaves": float(model.get_n_leaves())}
    if name == "forest":
        depths = [e.get_depth() for e in model.estimators_]
        return {"trees": float(len(depths)), "mean_depth": float(np.mean(depths)),
                "leaves": float(sum(e.get_n_leaves() for e in model.estimators_))}
    per_iter = int(getattr(model, "n_trees_per_iteration_", 1))
    return {"iterations": float(model.n_iter_), "trees": float(model.n_iter_ * per_iter)}


# --- digits -------------------------------------------------------------------------------------
def _digit_estimator(name: str, preset: ComparePreset) -> tuple[Any, str | None, int]:
    """(estimator, warm-start attribute, its final value) for the three tree models on pixels."""
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.tree import DecisionTreeClassifier

    seed = preset.seed
    if name == "tree":
        return DecisionTreeClassifier(max_depth=preset.tree_max_depth, random_state=seed), None, 0
    if name == "forest":
        return (RandomForestClassifier(n_estimators=1, warm_start=True, random_state=seed,
                                       n_jobs=os.cpu_count() or 1), "n_estimators", preset.forest_trees)
    return (HistGradientBoostingClassifier(max_iter=1, learning_rate=preset.boosting_lr, early_stopping=False,
                                           warm_start=True, random_state=seed), "max_iter", preset.boosting_iter)


def digits_sklearn_cell(name: str, preset: ComparePreset, x: np.ndarray, y: np.ndarray, x_test: np.ndarray,
                        y_test: np.ndarray) -> CellWork:
    """A tree model on the 784 raw pixels; forests and boosting grow in chunks (warm start)."""
    from threadpoolctl import threadpool_limits

    clock = Clock()
    X, X_test = x.reshape(len(x), -1), x_test.reshape(len(x_test), -1)
    model, grow, target = _digit_estimator(name, preset)
    threads = boosting_threads(len(y))
    # The limit is per thread in OpenMP, and the runner may resume this generator on another
    # thread after each yield: so it is set around every call, never across a yield.
    if grow is None:
        with threadpool_limits(threads, "openmp"), clock:
            model.fit(X, y)
    else:
        step = max(1, -(-target // (CHUNKS if name == "forest" else 3)))  # a boosting refit costs ~1 s
        for count in range(step, target + step, step):
            with threadpool_limits(threads, "openmp"), clock:
                model.set_params(**{grow: min(count, target)})
                model.fit(X, y)
            yield min(count, target) / target * 0.95
    with threadpool_limits(threads, "openmp"):
        started = time.perf_counter()
        predicted = model.predict(X_test)
        predict_ms = (time.perf_counter() - started) * 1000 / len(y_test)
    return CompareCell("digits", name, len(y), float(np.mean(predicted == y_test)), "accuracy", clock.seconds,
                       predict_ms, sklearn_bytes(model), EXPLANATIONS[name],
                       details=sklearn_details(name, model))


def digits_network_cell(arch: str, preset: ComparePreset, x: np.ndarray, y: np.ndarray, x_test: np.ndarray,
                        y_test: np.ndarray) -> CellWork:
    """The seed MLP or the small CNN, trained batch by batch; accuracy on the held-out digits."""
    batch = 32 if arch == "mlp" else 64  # DigitParams.default(arch).batch_size, without importing Keras yet
    epochs = preset.epochs_for(arch, len(y), batch)
    clock = Clock()
    with clock:
        trainer, batch = digit_trainer(arch, len(y), epochs, preset.seed)
    rng = np.random.default_rng(preset.seed)
    work = train_epochs(trainer, x.astype(np.float32), y.astype(np.int64), epochs, batch, rng)
    while True:
        try:
            fraction = next(work)
        except StopIteration as stop:
            clock.seconds += stop.value
            break
        yield fraction * 0.95
    trainer.predict(x_test[:8])  # trace the prediction graph outside the timing
    started = time.perf_counter()
    probs = trainer.predict(x_test)
    predict_ms = (time.perf_counter() - started) * 1000 / len(y_test)
    accuracy = float(np.mean(probs.argmax(axis=1) == y_test))
    return CompareCell("digits", arch, len(y), accuracy, "accuracy", clock.seconds, predict_ms,
                       trainer.saved_bytes(), EXPLANATIONS[arch],
                       details={"parameters": float(trainer.n_params()), "epochs": float(epochs)})


# --- houses -------------------------------------------------------------------------------------
Split = tuple[np.ndarray, np.ndarray]  # (training rows, test rows) of one CV fit


def splits_fingerprint(splits: list[Split]) -> str:
    """sha256 of every fit's training and held-out rows, in order: two cells with the same value were
    trained and scored on exactly the same rows."""
    import hashlib

    digest = hashlib.sha256()
    for train, test in splits:
        for rows in (train, test):
            digest.update(np.asarray(rows, dtype=np.int64).tobytes())
            digest.update(b"|")
    return digest.hexdigest()[:16]


def house_estimator(name: str, preset: ComparePreset) -> Any:
    """The house workspace's three models, built from its public ``HouseParams``."""
    from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
    from sklearn.tree import DecisionTreeRegressor

    p = preset.house_params
    if name == "tree":
        return DecisionTreeRegressor(max_depth=p.max_depth, min_samples_leaf=p.min_samples_leaf, random_state=p.seed)
    if name == "forest":
        return RandomForestRegressor(n_estimators=p.n_trees, random_state=p.seed, n_jobs=1)
    return HistGradientBoostingRegressor(max_iter=p.boosting_iter, learning_rate=0.05, max_leaf_nodes=15,
                                         min_samples_leaf=5, l2_regularization=1.0, early_stopping=False,
                                         random_state=p.seed)


def houses_cell(name: str, preset: ComparePreset, X: np.ndarray, y: np.ndarray, splits: list[Split], size: int,
                trainer: Callable[[], StepTrainer]) -> CellWork:
    """Cross-validated MSE over ``splits`` (every model gets the same folds and subsamples).

    The MLP standardises inputs and target on its training rows, holds 15% of them out for early
    stopping, and reuses one compiled network (``trainer()``) with fresh weights per fit.
    """
    from threadpoolctl import threadpool_limits

    clock, predict_seconds, predicted, errors, last, epochs = Clock(), 0.0, 0, [], None, []
    for i, (train, test) in enumerate(splits):
        if name != "mlp":
            with threadpool_limits(boosting_threads(len(y)), "openmp"), clock:
                last = house_estimator(name, preset).fit(X[train], y[train])
            started = time.perf_counter()
            with threadpool_limits(boosting_threads(len(y)), "openmp"):
                pred = last.predict(X[test])
            predict_seconds += time.perf_counter() - started
        else:
            net = trainer()
            rng = np.random.default_rng([preset.seed, size, i])
            with clock:
                mx, sx = X[train].mean(axis=0), X[train].std(axis=0)
                sx = np.where(sx > 1e-9, sx, 1.0)  # a column constant in a small sample (CHAS) stays as is
                my, sy = float(y[train].mean()), float(y[train].std()) or 1.0
                rows = rng.permutation(train)
                n_val = max(5, round(0.15 * len(rows)))
                xs = ((X - mx) / sx).astype(np.float32)
                ys = ((y - my) / sy).astype(np.float32)
                net.reset(preset.seed * 1000 + i)
            fit = fit_early_stopping(net, xs[rows[n_val:]], ys[rows[n_val:]], xs[rows[:n_val]], ys[rows[:n_val]],
                                     max_epochs=preset.house_mlp_max_epochs, patience=preset.house_mlp_patience,
                                     batch=32, rng=rng)
            for fraction in timed_fit(fit, clock, epochs):
                yield (i + fraction) / len(splits) * 0.97
            net.predict(xs[test][:1])
            started = time.perf_counter()
            pred = net.predict(xs[test])[:, 0] * sy + my
            predict_seconds += time.perf_counter() - started
            last = net
        predicted += len(test)
        errors.append(float(np.mean((y[test] - pred) ** 2)))
        yield (i + 1) / len(splits) * 0.97
    if name == "mlp":
        size_bytes = last.saved_bytes()
        details = {"parameters": float(last.n_params()), "epochs": float(np.mean(epochs))}
    else:
        size_bytes, details = sklearn_bytes(last), sklearn_details(name, last)
    return CompareCell("houses", name, size, float(np.mean(errors)), "mse", clock.seconds / len(splits),
                       predict_seconds * 1000 / max(1, predicted), size_bytes, EXPLANATIONS[name],
                       score_std=float(np.std(errors)), fits=len(splits), details=details,
                       folds=splits_fingerprint(splits))
